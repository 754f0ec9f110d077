// plugin.test.js — the SQLite source syncs with `diff: warehouse` through the real CLI: the
// engine writes its SQL in the source's own dialect, SQLite runs it, only the delta leaves.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createExample } from "./fixture.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");

function run(dir) {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, "bin", "syncline.js"), "run", "people", "--config", "syncline.yaml", "--json"],
    { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH, NODE_OPTIONS: "" } },
  );
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

const sent = (dir) =>
  readFileSync(join(dir, "out", "people.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));

describe("a third-party SQL source with its own dialect", () => {
  it("computes the diff inside SQLite: all rows first, then only what changed", () => {
    const dir = mkdtempSync(join(tmpdir(), "syncline-sqlite-source-"));
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules")); // better-sqlite3, as the plugin's own dependency
    const db = createExample(dir);
    expect(run(dir)).toMatchObject({ status: "succeeded", counts: { succeeded: { added: 3 } } });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'syncline%snap%'").all();
    expect(tables).toHaveLength(1); // the snapshot lives in the warehouse

    db.exec("UPDATE people SET plan = 'team' WHERE id = 2; DELETE FROM people WHERE id = 3;");
    expect(run(dir)).toMatchObject({ status: "succeeded", counts: { succeeded: { changed: 1, removed: 1 } } });
    expect(sent(dir).map(({ op, key }) => [op, key])).toEqual([
      ["upsert", "1"],
      ["upsert", "2"],
      ["upsert", "3"],
      ["upsert", "2"],
      ["delete", "3"],
    ]);
    db.close();
  }, 120_000);
});
