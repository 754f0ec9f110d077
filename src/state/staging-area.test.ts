import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openState, type StateDatabase } from "./database.ts";
import { StagingArea } from "./staging-area.ts";

let state: StateDatabase;
let staging: StagingArea;
beforeEach(() => {
  state = openState(":memory:");
  staging = new StagingArea(state.sqlite, "run-1");
});
afterEach(() => state.close());

const snapshot = (key: string, remoteId: string | null = null) =>
  state.sqlite
    .prepare("INSERT INTO snapshots (sync, key, hash, remote_id, delivered_at) VALUES ('people', ?, 'h', ?, 0)")
    .run(key, remoteId);
const ledger = (key: string) =>
  state.sqlite
    .prepare(
      `INSERT INTO ledger (sync, key, operation, change, attempts, error_class, error_code, reason,
         first_failed_at, last_failed_at, last_run_id) VALUES ('people', ?, 'upsert', 'added', 1, 'permanent', 'E', 'r', 0, 0, 'run')`,
    )
    .run(key);
const keys = (sql: string) => state.sqlite.prepare(sql).pluck().all();

describe("StagingArea", () => {
  it("marks a key staged twice invalid and counts its extra rows", () => {
    staging.stage("a", "added", "h", "{}", "{}", null, null);
    staging.stage("b", "unchanged", "h", null, null, null, null);
    staging.stage("a", "added", "h", "{}", "{}", null, null);
    staging.stage("a", "changed", "h", "{}", "{}", null, null);
    staging.markDuplicate("c", 2);
    expect(staging.duplicates()).toEqual([
      { key: "a", dup: 2 },
      { key: "c", dup: 2 },
    ]);
    expect(staging.tally()).toEqual({ invalid: 2, unchanged: 1 });
  });

  it("stages the snapshot's keys the model no longer has as removed, with their remote ids", () => {
    snapshot("a", "r-a");
    snapshot("gone", "r-gone");
    staging.stage("a", "unchanged", "h", null, null, null, null);
    staging.stageRemoved("people");
    expect(staging.sample("removed", 10)).toMatchObject([{ key: "gone", remoteId: "r-gone", fields: null }]);
    expect(staging.tally()).toEqual({ unchanged: 1, removed: 1 });
  });

  it("pages the delta in key order, only the changes asked for", () => {
    for (const key of ["d", "b", "a", "c"])
      staging.stage(key, key === "c" ? "unchanged" : "added", "h", "{}", "{}", null, null);
    expect([...staging.pages(["added"], 2)].map((page) => page.map((record) => record.key))).toEqual([
      ["a", "b"],
      ["d"],
    ]);
    expect([...staging.pages([], 2)]).toEqual([]);
    staging.clear();
    expect(staging.tally()).toEqual({});
  });

  it("forgets removed records and settles ledger entries outside the delta", () => {
    snapshot("kept");
    snapshot("gone");
    ledger("gone");
    ledger("failed");
    ledger("settled");
    staging.stage("kept", "unchanged", "h", null, null, null, null);
    staging.stage("failed", "added", "h", "{}", "{}", null, null);
    staging.stageRemoved("people");
    staging.resolveObsoleteFailures("people");
    expect(keys("SELECT key FROM ledger ORDER BY key")).toEqual(["failed", "gone"]);
    staging.forgetRemoved("people");
    expect(keys("SELECT key FROM snapshots ORDER BY key")).toEqual(["kept"]);
    expect(staging.tally()).toEqual({ added: 1, unchanged: 1 });
  });

  it("drops its table, also after the connection closed", () => {
    staging.drop();
    expect(keys("SELECT name FROM temp.sqlite_master WHERE type = 'table'")).toEqual([]);
    state.close();
    staging.drop();
  });
});
