import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrationsBefore } from "../../test/support/older-migrations.ts";
import { ChangelogIndex } from "./changelog-index.ts";
import { ChangelogStore, changelogAppender } from "./changelog-store.ts";
import { openState, type StateDatabase } from "./database.ts";
import { applyMigrations } from "./migrate.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-changelog-index-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function append(db: Database.Database, runId: string, keys: string[], at: number, sync = "people") {
  changelogAppender(
    db,
    sync,
    runId,
  )(
    keys.map((key) => [key, "add", "ok", null, null, null, 1, null]),
    at,
  );
}

const entries = (db: Database.Database) =>
  db.prepare("SELECT sync, key, id FROM changelog_keys ORDER BY sync, key, id").all();
const runsOf = (store: ChangelogStore, key: string, sync = "people") =>
  store.forRecord(sync, key, { limit: 10 }).map((row) => row.runId);

describe("ChangelogIndex", () => {
  let state: StateDatabase;
  beforeEach(() => {
    state = openState(":memory:");
  });
  afterEach(() => state.close());

  it("indexes the rows appended since it last ran, in chunks, sorted by key", () => {
    append(state.sqlite, "run_a", ["c", "a", "b", "e", "d"], 1_000);
    append(state.sqlite, "run_a", ["x"], 1_000, "other");
    append(state.sqlite, "run_b", ["a"], 2_000);
    const index = new ChangelogIndex(state.sqlite);
    expect(index.pending()).toBe(7);
    expect([index.indexChunk(3), index.indexChunk(3), index.indexChunk(3)]).toEqual([3, 3, 1]);
    expect(index.pending()).toBe(0);
    expect(index.indexChunk(3)).toBe(0);
    expect(entries(state.sqlite)).toEqual([
      { sync: "other", key: "x", id: 6 },
      { sync: "people", key: "a", id: 2 },
      { sync: "people", key: "a", id: 7 },
      { sync: "people", key: "b", id: 3 },
      { sync: "people", key: "c", id: 1 },
      { sync: "people", key: "d", id: 5 },
      { sync: "people", key: "e", id: 4 },
    ]);
  });

  it("lets a record's history read indexed rows and the rows after them alike, each once", () => {
    const store = new ChangelogStore(state.sqlite);
    const index = new ChangelogIndex(state.sqlite);
    append(state.sqlite, "run_a", ["a", "b"], 1_000);
    expect(runsOf(store, "a")).toEqual(["run_a"]);
    index.indexChunk(100);
    append(state.sqlite, "run_b", ["a"], 2_000);
    append(state.sqlite, "run_b", ["a"], 2_000, "other");
    // run_a's row from the index, run_b's from the rows after it; another sync's row is not this record's.
    expect(runsOf(store, "a")).toEqual(["run_b", "run_a"]);
    index.indexChunk(100);
    expect(runsOf(store, "a")).toEqual(["run_b", "run_a"]);
    const newest = store.forRecord("people", "a", { limit: 1 });
    expect(store.forRecord("people", "a", { limit: 5, before: newest[0]!.id }).map((row) => row.runId)).toEqual([
      "run_a",
    ]);
  });

  it("prunes a row's entry with it, and never takes ids SQLite hands out again as indexed", () => {
    const store = new ChangelogStore(state.sqlite);
    const index = new ChangelogIndex(state.sqlite);
    append(state.sqlite, "run_old", ["a", "b", "c"], 1_000);
    index.indexChunk(100);
    expect(store.pruneChunk(5_000, 100)).toBe(3);
    expect(entries(state.sqlite)).toEqual([]);
    // The table is empty: the next rows take ids 1, 2… again, below the index's old `upto` (3).
    append(state.sqlite, "run_new", ["b", "d"], 6_000);
    expect(runsOf(store, "b")).toEqual(["run_new"]);
    expect(index.pending()).toBe(2);
    index.indexChunk(100);
    expect(entries(state.sqlite)).toEqual([
      { sync: "people", key: "b", id: 1 },
      { sync: "people", key: "d", id: 2 },
    ]);
    expect(runsOf(store, "d")).toEqual(["run_new"]);
  });
});

describe("the changelog_keys migration", () => {
  it("indexes a state file's existing changelog, and drops the index on the changelog itself", () => {
    const { folder: older } = migrationsBefore(dir, "0010_changelog_keys");

    const file = join(dir, "old.db");
    const db = new Database(file);
    applyMigrations(db, older);
    append(db, "run_a", ["b", "a"], 1_000);
    db.close();

    const state = openState(file);
    try {
      expect(entries(state.sqlite)).toEqual([
        { sync: "people", key: "a", id: 2 },
        { sync: "people", key: "b", id: 1 },
      ]);
      expect(new ChangelogIndex(state.sqlite).pending()).toBe(0);
      expect(runsOf(new ChangelogStore(state.sqlite), "a")).toEqual(["run_a"]);
      const indexes = state.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'changelog' AND sql IS NOT NULL")
        .pluck()
        .all();
      expect(indexes).toEqual(["changelog_run"]);
      const withoutRowid = state.sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'changelog_keys'").pluck();
      expect(withoutRowid.get()).toMatch(/WITHOUT ROWID/);
    } finally {
      state.close();
    }
  });
});
