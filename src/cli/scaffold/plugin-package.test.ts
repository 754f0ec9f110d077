// The scaffold as a plugin author gets it, run against this checkout's Syncline (linked as
// node_modules/syncline, resolved to the sources): its own tests pass under `node --test` and
// it type-checks. test/package/plugin-flow.test.ts does the same from the packed tarball.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../package-root.ts";

const BIN = join(PACKAGE_ROOT, "bin", "syncline.js");
const TSC = join(PACKAGE_ROOT, "node_modules", "typescript", "bin", "tsc");
const work = mkdtempSync(join(tmpdir(), "syncline-scaffold-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: "utf8" });
}

/** Links what `npm install` would bring: Syncline itself, valibot, Node's types, DuckDB (the source fake's). */
function link(dir: string): void {
  mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
  symlinkSync(PACKAGE_ROOT, join(dir, "node_modules", "syncline"));
  symlinkSync(join(PACKAGE_ROOT, "node_modules", "valibot"), join(dir, "node_modules", "valibot"));
  symlinkSync(join(PACKAGE_ROOT, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"));
  symlinkSync(join(PACKAGE_ROOT, "node_modules", "@duckdb"), join(dir, "node_modules", "@duckdb"));
}

describe("syncline plugin init", () => {
  it.each([
    ["TypeScript destination", "destination", [], "ts", 16],
    ["JavaScript destination", "destination", ["--js"], "js", 16],
    ["TypeScript source", "source", [], "ts", 15],
    ["JavaScript source", "source", ["--js"], "js", 15],
  ])("scaffolds a %s whose contract tests pass and which type-checks", (_what, kind, flags, ext, tests) => {
    const folder = `${kind}-${ext}`;
    const created = cli("plugin", "init", folder, `--${kind}`, ...flags);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain(`created syncline-plugin-${folder} (type: ${folder})`);
    const dir = join(work, folder);
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme).not.toMatch(/__[A-Z_]+__/);
    expect(readme).toContain(`${kind}s:\n  example:\n    type: ${folder}`);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    expect(manifest.peerDependencies.syncline).toMatch(/^>=\d+\.\d+\.\d+ <\d+$/);
    expect(manifest.scripts).toMatchObject({ build: expect.any(String), test: expect.any(String) });
    expect(readFileSync(join(dir, `src/index.${ext}`), "utf8")).toContain(`name: "${folder}"`);
    link(dir);

    const test = spawnSync(process.execPath, ["--conditions=syncline-source", "--test", `test/**/*.test.${ext}`], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, VITEST: "", NODE_OPTIONS: "" },
    });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(new RegExp(`ℹ pass ${tests}\n`));
    expect(test.stdout).toMatch(/ℹ fail 0\n/);

    // Linked to the sources, which import with .ts extensions (the package has .d.ts files).
    const sources = ["--customConditions", "syncline-source", "--allowImportingTsExtensions"];
    const types = spawnSync(process.execPath, [TSC, "-p", ".", ...sources], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(types.status, types.stdout + types.stderr).toBe(0);
  });

  it("refuses a folder that is not empty, a bad name and a missing kind, with exit status 2", () => {
    expect(cli("plugin", "init", "taken", "--destination").status).toBe(0);
    const taken = cli("plugin", "init", "taken", "--destination");
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain(
      "already exists and is not empty — give `syncline plugin init` a new or empty folder",
    );
    const badName = cli("plugin", "init", "fine", "--destination", "--name", "Bad Name");
    expect(badName.status).toBe(2);
    expect(badName.stderr).toContain('"Bad Name" is not a valid plugin name');
    const noKind = cli("plugin", "init", "nokind");
    expect(noKind.status).toBe(2);
    expect(noKind.stderr).toContain("needs a folder and one of --destination or --source");
    expect(noKind.stderr).toContain("usage: syncline plugin init <dir>");
  });
});
