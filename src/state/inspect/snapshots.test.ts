import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { openState, type StateDatabase } from "../database.ts";
import { StagingArea } from "../staging-area.ts";
import {
  type CountedTable,
  forgetMigrations,
  meanFieldHashLength,
  readStateFile,
  rowCount,
  seedSnapshots,
  snapshotCount,
  snapshotRows,
  stagedRows,
} from "./index.ts";

// Snapshot and staging helpers against a real, migrated state, and the state file read from
// outside: what they plant is what they read back, in their fixed order.
const dir = mkdtempSync(join(tmpdir(), "syncline-inspect-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let state: StateDatabase;
let db: StateDatabase["sqlite"];
beforeEach(() => {
  state = openState(":memory:");
  db = state.sqlite;
});
afterEach(() => state.close());

describe("snapshots", () => {
  it("plants rows with a plain delivery's defaults and reads them back by sync, then key", () => {
    seedSnapshots(db, [
      { sync: "b", key: "2", hash: "h2", field_hashes: "abcd" },
      { sync: "a", key: "9", hash: "", remote_id: "r9", delivered_at: 5, key_json: 1 },
      { sync: "b", key: "1", hash: "h1", field_hashes: "ab" },
    ]);
    const plain = { remote_id: null, delivered_at: 0, field_hashes: null, key_json: null };
    expect(snapshotRows(db)).toEqual([
      { sync: "a", key: "9", hash: "", remote_id: "r9", delivered_at: 5, field_hashes: null, key_json: 1 },
      { ...plain, sync: "b", key: "1", hash: "h1", field_hashes: "ab" },
      { ...plain, sync: "b", key: "2", hash: "h2", field_hashes: "abcd" },
    ]);
    expect(snapshotRows(db, "a").map((row) => row.key)).toEqual(["9"]);
    expect([snapshotCount(db), snapshotCount(db, "b"), snapshotCount(db, "none")]).toEqual([3, 2, 0]);
    expect(meanFieldHashLength(db, "b")).toBe(3);
    expect(meanFieldHashLength(db, "a")).toBe(0);
  });

  it("refuses a planted duplicate, all or nothing, unless the first one is to be kept", () => {
    seedSnapshots(db, [{ sync: "s", key: "1", hash: "first" }]);
    const again = [
      { sync: "s", key: "2", hash: "x" },
      { sync: "s", key: "1", hash: "second" },
    ];
    expect(() => seedSnapshots(db, again)).toThrow(/UNIQUE/);
    expect(snapshotRows(db).map((row) => row.key)).toEqual(["1"]);
    seedSnapshots(db, again, { keepExisting: true });
    expect(snapshotRows(db).map((row) => [row.key, row.hash])).toEqual([
      ["1", "first"],
      ["2", "x"],
    ]);
  });
});

describe("a staging area", () => {
  it("reads every staged row by key, a key staged twice as the one invalid row it became", () => {
    const staging = new StagingArea(db, "run_1");
    staging.stage("b", "added", "h1", "{}", '{"id":"b"}', null, null);
    staging.stage("a", "unchanged", "h2", "{}", '{"id":"a"}', "r-a", null);
    staging.stage("b", "added", "h3", "{}", '{"id":"b"}', null, null);
    expect(
      stagedRows(staging).map(({ key, change, hash, fields, remote_id, dup }) => [
        key,
        change,
        hash,
        fields,
        remote_id,
        dup,
      ]),
    ).toEqual([
      ["a", "unchanged", "h2", "{}", "r-a", 0],
      ["b", "invalid", "h1", null, null, 1],
    ]);
  });
});

describe("the state file", () => {
  it("is read read-only, and closed afterwards", () => {
    const path = join(dir, "state.db");
    const written = openState(path);
    seedSnapshots(written.sqlite, [{ sync: "s", key: "1", hash: "h" }]);
    written.close();
    let kept: { open: boolean } | undefined;
    const count = readStateFile(path, (file) => {
      kept = file;
      expect(() => seedSnapshots(file, [{ sync: "s", key: "2", hash: "h" }])).toThrow(/readonly/);
      return snapshotCount(file);
    });
    expect(count).toBe(1);
    expect(kept?.open).toBe(false);
    expect(() => readStateFile(join(dir, "missing.db"), snapshotCount)).toThrow();
  });

  it("forgets the applied migrations, and counts only known tables", () => {
    forgetMigrations(db);
    expect(db.prepare('SELECT count(*) FROM "__drizzle_migrations"').pluck().get()).toBe(0);
    expect(() => rowCount(db, "runs; DROP TABLE runs" as CountedTable)).toThrow(/not a counted state table/);
  });
});
