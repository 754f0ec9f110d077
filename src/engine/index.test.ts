import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..");
const OUTSIDE = ["cli", "server", "host", "alerts"];
const ENGINE_IMPORT = /from "((?:\.\.\/)+engine\/[^"]+)"/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("the engine's public entry", () => {
  it("is the only way the CLI, the service, the host and alerts reach the engine (type imports included)", () => {
    const internal = OUTSIDE.flatMap((folder) => sources(join(SRC, folder))).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(ENGINE_IMPORT)]
        .map((match) => match[1]!)
        .filter((target) => !target.endsWith("engine/index.ts"))
        .map((target) => `${relative(SRC, file)} → ${target}`),
    );
    expect(internal).toEqual([]);
  });
});
