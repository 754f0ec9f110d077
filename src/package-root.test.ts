import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_DESTINATIONS, BUILTIN_PLUGINS } from "./host/builtins.ts";
import { CODE_ROOT, codeModule, MODULE_EXT, PACKAGE_ROOT } from "./package-root.ts";

describe("the modules loaded by path at run time", () => {
  it("resolve from the repository root when running the sources", () => {
    expect(MODULE_EXT).toBe(".ts");
    expect(CODE_ROOT).toBe(PACKAGE_ROOT);
    expect(existsSync(join(PACKAGE_ROOT, "package.json"))).toBe(true);
  });

  it("exist: every built-in plugin, the SDK handed to plugins and the snapshot reader's worker", () => {
    const files = [
      ...Object.values(BUILTIN_PLUGINS),
      ...Object.values(BUILTIN_DESTINATIONS),
      codeModule("src", "sdk", "index"),
      codeModule("src", "sdk", "sql", "index"),
      codeModule("src", "sdk", "testing", "index"),
      codeModule("src", "engine", "delta", "snapshot-worker"),
      codeModule("src", "engine", "ledger", "commit-worker"),
    ];
    expect(files.filter((file) => !existsSync(file))).toEqual([]);
  });
});
