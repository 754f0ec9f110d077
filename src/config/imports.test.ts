import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..");
const RELATIVE_IMPORT = /from "(\.{1,2}\/[^"]+)"/g;

/** The folder under src/ that a relative import from `file` lands in. */
function folderOf(file: string, target: string): string {
  return relative(SRC, resolve(file, "..", target)).split("/")[0]!;
}

describe("src/config", () => {
  it("imports only itself and the SDK (src/README.md), type imports and tests included", () => {
    const dir = join(SRC, "config");
    const upward = readdirSync(dir)
      .filter((name) => name.endsWith(".ts"))
      .flatMap((name) =>
        [...readFileSync(join(dir, name), "utf8").matchAll(RELATIVE_IMPORT)]
          .map((match) => match[1]!)
          .filter((target) => !["config", "sdk"].includes(folderOf(join(dir, name), target)))
          .map((target) => `config/${name} → ${target}`),
      );
    expect(upward).toEqual([]);
  });
});
