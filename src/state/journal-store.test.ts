import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrationsBefore } from "../../test/support/older-migrations.ts";
import { openState, type StateDatabase } from "./database.ts";
import { JournalStore, SEEDED_HASH } from "./journal-store.ts";
import { applyMigrations } from "./migrate.ts";
import { StagingArea } from "./staging-area.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-journal-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("JournalStore", () => {
  let state: StateDatabase;
  beforeEach(() => {
    state = openState(":memory:");
  });
  afterEach(() => state.close());

  const snapshot = (sync: string, key: string, hash: string, remoteId: string | null = null) =>
    state.sqlite
      .prepare("INSERT INTO snapshots (sync, key, hash, remote_id, delivered_at) VALUES (?, ?, ?, ?, 0)")
      .run(sync, key, hash, remoteId);

  it("keeps each sync's location", () => {
    const journal = new JournalStore(state.sqlite, "people");
    expect(journal.location()).toBeUndefined();
    journal.setLocation("warehouse", "syncline");
    journal.setLocation("local", "other");
    expect(journal.location()).toEqual({ location: "local", schema: "other" });
    expect(new JournalStore(state.sqlite, "orders").location()).toBeUndefined();
  });

  it("journals a staged delta: touched keys report their final state, untouched ones are left out", () => {
    const journal = new JournalStore(state.sqlite, "people");
    const staging = new StagingArea(state.sqlite, "run");
    staging.stage("a", "added", "h", "{}", "{}", null, null);
    staging.stage("b", "changed", "h", "{}", "{}", "r-b", null);
    staging.stage("c", "removed", null, null, null, "r-c", null);
    staging.stage("d", "unchanged", "h", null, null, null, null);
    journal.record(staging);
    expect(journal.pendingCount()).toBe(3);
    expect(journal.localSnapshotCount()).toBe(2);
    // The commit gives "a" and "b" their final state; "c" is never sent.
    snapshot("people", "a", "h-a", "r-a");
    state.sqlite.prepare("UPDATE snapshots SET hash = 'h-b' WHERE key = 'b'").run();
    expect([...journal.pendingState()].flat()).toEqual([
      ["a", "h-a", "r-a"],
      ["b", "h-b", "r-b"],
    ]);
    journal.clear({ location: "warehouse", schema: "s" });
    expect(journal.pendingCount()).toBe(0);
    expect(journal.localSnapshotCount()).toBe(0);
    expect(journal.location()).toEqual({ location: "warehouse", schema: "s" });
  });

  it("reads the local snapshot with seeded hashes and carries rows back in", () => {
    snapshot("people", "a", "h1", "r-a");
    snapshot("people", "b", "");
    snapshot("orders", "z", "h");
    const journal = new JournalStore(state.sqlite, "people");
    expect([...journal.localSnapshot()].flat()).toEqual([
      ["a", SEEDED_HASH, "r-a"],
      ["b", "", null],
    ]);
    journal.insertSnapshot([
      ["b", SEEDED_HASH, "r-b"],
      ["c", null, null],
    ]);
    expect([...journal.localSnapshot()].flat()).toEqual([
      ["a", SEEDED_HASH, "r-a"],
      ["b", SEEDED_HASH, "r-b"],
      ["c", "", null],
    ]);
  });
});

describe("the warehouse_journal migration", () => {
  it("migrates a state file whose engine had already created the journal tables, keeping their rows", () => {
    const { folder: older, all } = migrationsBefore(dir, "0007_warehouse_journal");

    const file = join(dir, "old.db");
    const db = new Database(file);
    applyMigrations(db, older);
    // What the engine used to create itself, in warehouse mode.
    db.exec(`CREATE TABLE IF NOT EXISTS warehouse_pending (
      sync TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (sync, key)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS warehouse_syncs (
      sync TEXT PRIMARY KEY, location TEXT NOT NULL, schema TEXT NOT NULL, updated_at INTEGER NOT NULL)`);
    db.prepare("INSERT INTO warehouse_pending (sync, key) VALUES ('people', 'k')").run();
    db.prepare("INSERT INTO warehouse_syncs VALUES ('people', 'warehouse', 'syncline', 1)").run();
    db.close();

    const state = openState(file);
    try {
      const journal = new JournalStore(state.sqlite, "people");
      expect(journal.pendingCount()).toBe(1);
      expect(journal.location()).toEqual({ location: "warehouse", schema: "syncline" });
      const applied = state.sqlite.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get();
      expect(applied).toBe(all);
    } finally {
      state.close();
    }
  });

  it("creates the journal tables in a new state file", () => {
    const state = openState(join(dir, "new.db"));
    try {
      const tables = state.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'warehouse_%' ORDER BY name")
        .pluck()
        .all();
      expect(tables).toEqual(["warehouse_pending", "warehouse_syncs"]);
    } finally {
      state.close();
    }
  });
});
