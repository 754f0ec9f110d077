import { afterEach, beforeEach, expect, it } from "vitest";
import { openState, type StateDatabase } from "./database.ts";
import { IdentityStore } from "./identity-store.ts";

let state: StateDatabase;
beforeEach(() => {
  state = openState(":memory:");
});
afterEach(() => state.close());

const count = (table: string) =>
  state.sqlite.prepare(`SELECT count(*) FROM ${table} WHERE sync = 'people'`).pluck().get();

it("records a sync's identity and, on reset, empties its snapshot and ledger only", () => {
  const store = new IdentityStore(state.sqlite);
  expect(store.get("people")).toBeUndefined();
  for (const sync of ["people", "orders"]) {
    state.sqlite
      .prepare("INSERT INTO snapshots (sync, key, hash, remote_id, delivered_at) VALUES (?, 'k', 'h', NULL, 0)")
      .run(sync);
    state.sqlite
      .prepare(
        `INSERT INTO ledger (sync, key, operation, change, attempts, error_class, error_code, reason,
           first_failed_at, last_failed_at, last_run_id) VALUES (?, 'k', 'upsert', 'added', 1, 'permanent', 'E', 'r', 0, 0, 'run')`,
      )
      .run(sync);
  }
  store.record("people", { target: "t1", model: "m1" }, { reset: false });
  expect(store.get("people")).toEqual({ target: "t1", model: "m1" });
  expect(count("snapshots")).toBe(1);
  store.record("people", { target: "t2", model: "m1" }, { reset: true });
  expect(store.get("people")).toEqual({ target: "t2", model: "m1" });
  expect([count("snapshots"), count("ledger")]).toEqual([0, 0]);
  expect(state.sqlite.prepare("SELECT count(*) FROM snapshots").pluck().get()).toBe(1);
  expect(state.sqlite.prepare("SELECT count(*) FROM ledger").pluck().get()).toBe(1);
});
