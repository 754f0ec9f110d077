import { afterEach, beforeEach, expect, it } from "vitest";
import { openState, type StateDatabase } from "./database.ts";
import { SnapshotStore } from "./snapshot-store.ts";

let state: StateDatabase;
beforeEach(() => {
  state = openState(":memory:");
});
afterEach(() => state.close());

it("tells whether a sync has a snapshot, its size, and each key's hash and remote id", () => {
  const store = new SnapshotStore(state.sqlite);
  expect([store.exists("people"), store.count("people"), store.largestRowid()]).toEqual([false, 0, 0]);
  const insert = state.sqlite.prepare(
    "INSERT INTO snapshots (sync, key, hash, remote_id, delivered_at) VALUES (?, ?, ?, ?, 5)",
  );
  insert.run("people", "a", "h", "r-a");
  insert.run("people", "b", "", null);
  insert.run("orders", "a", "x", null);
  expect([store.exists("people"), store.count("people"), store.largestRowid()]).toEqual([true, 2, 3]);
  const lookup = store.lookup("people");
  expect(lookup("a")).toEqual({ hash: "h", remoteId: "r-a" });
  expect(lookup("c")).toBeUndefined();
  expect(store.get("people", "b")).toEqual({ key: "b", confirmed: false, remoteId: null, deliveredAt: 5 });
});
