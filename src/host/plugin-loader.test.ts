import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PluginRegistry } from "./plugin-loader.ts";

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "syncline-plugins-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const GOOD = `export default { kind: "destination", name: "acme", apiVersion: 1, config: {}, capabilities: { operations: ["upsert"], maxRecords: 10 }, check: async () => {}, write: async () => [] };`;

describe("PluginRegistry", () => {
  it("loads a local plugin and registers it by name", async () => {
    const dir = dirWith({ "acme.js": GOOD });
    const registry = new PluginRegistry();
    await registry.loadListed(["./acme.js"], dir);
    expect((await registry.get("acme", "x")).name).toBe("acme");
  });

  it("loads a local plugin folder by its package.json's exports or main, or its index.js", async () => {
    const dir = dirWith({
      "by-exports/package.json": JSON.stringify({
        type: "module",
        exports: { ".": { types: "./index.d.ts", import: "./dist/plugin.js" }, "./fake": "./fake.js" },
      }),
      "by-exports/dist/plugin.js": GOOD.replace('"acme"', '"by-exports"'),
      "by-main/package.json": JSON.stringify({ type: "module", main: "lib/main.js" }),
      "by-main/lib/main.js": GOOD.replace('"acme"', '"by-main"'),
      "by-index/index.js": GOOD.replace('"acme"', '"by-index"'),
    });
    const registry = new PluginRegistry();
    await registry.loadListed(["./by-exports", "./by-main/", "./by-index"], dir);
    for (const name of ["by-exports", "by-main", "by-index"]) expect((await registry.get(name, "x")).name).toBe(name);
  });

  it("refuses a plugin folder without an entry, or whose entry leaves the config's directory", async () => {
    const dir = dirWith({
      "empty/README.md": "nothing here",
      "wrong/package.json": JSON.stringify({ exports: { "./other": "./other.js" } }),
      "escape/package.json": JSON.stringify({ main: "../../elsewhere.js" }),
    });
    await expect(new PluginRegistry().loadListed(["./empty"], dir)).rejects.toMatchObject({
      message: expect.stringContaining('plugin folder "./empty" has no entry file index.js'),
      fix: expect.stringContaining("package.json whose `exports` (or `main`)"),
    });
    await expect(new PluginRegistry().loadListed(["./wrong"], dir)).rejects.toThrow('exports no "." entry');
    await expect(new PluginRegistry().loadListed(["./escape"], dir)).rejects.toThrow("outside the config's directory");
  });

  it("loads built-in plugins lazily by name", async () => {
    const plugin = await new PluginRegistry().get("duckdb", "sources.x.type");
    expect(plugin.kind).toBe("source");
  });

  it.each([
    [
      "a wrong apiVersion",
      GOOD.replace("apiVersion: 1", "apiVersion: 2"),
      "is built for plugin API 2, this Syncline speaks 1",
    ],
    ["no default export", "export const x = 1;", "has no default export"],
    ["no write()", GOOD.replace(", write: async () => []", ""), "has no write() function"],
    ["a bad name", GOOD.replace('name: "acme"', 'name: "Acme Corp"'), "has no valid name"],
  ])("refuses a plugin with %s, naming it", async (_what, text, expected) => {
    const dir = dirWith({ "p.js": text });
    await expect(new PluginRegistry().loadListed(["./p.js"], dir)).rejects.toThrow(expected);
  });

  it("refuses duplicates, missing packages and paths outside the config directory", async () => {
    const dir = dirWith({ "a.js": GOOD, "b.js": GOOD, "dup.js": GOOD.replace('"acme"', '"webhook"') });
    await expect(new PluginRegistry().loadListed(["./a.js", "./b.js"], dir)).rejects.toThrow(
      'registers the name "acme", already taken by ./a.js',
    );
    await expect(new PluginRegistry().loadListed(["./dup.js"], dir)).rejects.toThrow(
      "already taken by a built-in plugin",
    );
    await expect(new PluginRegistry().loadListed(["syncline-plugin-does-not-exist"], dir)).rejects.toMatchObject({
      message: expect.stringContaining('plugin package "syncline-plugin-does-not-exist" is not installed'),
      fix: "run `npm install syncline-plugin-does-not-exist` next to the config file",
    });
    await expect(new PluginRegistry().loadListed(["../../etc/evil.js"], dir)).rejects.toThrow(
      "outside the config's directory",
    );
  });

  it("refuses an unknown type with the list of known ones", async () => {
    await expect(new PluginRegistry().get("nope", "destinations.x.type")).rejects.toThrow(/unknown type "nope"/);
  });
});
