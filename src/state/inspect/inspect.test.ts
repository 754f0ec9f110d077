import { afterEach, describe, expect, it } from "vitest";
import { openState, type StateDatabase } from "../database.ts";
import {
  alertRows,
  changelogRows,
  ledgerRows,
  openRunCount,
  outboxRows,
  reopenSequenceRun,
  rowCount,
  runRows,
  seedAlerts,
  seedLedger,
  sequenceRunRows,
  setSequenceRunOwner,
} from "./index.ts";

// The helpers against a real, migrated state: what they plant is what they read back, in their
// fixed order. Rows they only read are written here with plain SQL, as stored.
let state: StateDatabase;
afterEach(() => state?.close());
const open = () => {
  state = openState(":memory:");
  return state.sqlite;
};

describe("ledger, alerts, changelog", () => {
  it("plants failures and reads them by key, with every column", () => {
    const db = open();
    const failure = {
      sync: "s",
      operation: "upsert",
      change: "added",
      attempts: 2,
      error_class: "permanent",
      error_code: "E",
      reason: "no",
      first_failed_at: 1,
      last_failed_at: 2,
      last_run_id: "run_1",
    };
    seedLedger(db, [
      { ...failure, key: "b" },
      { ...failure, key: "a", sync: "t", next_attempt_at: 9 },
    ]);
    expect(ledgerRows(db)).toEqual([
      { ...failure, key: "a", sync: "t", next_attempt_at: 9 },
      { ...failure, key: "b", next_attempt_at: null },
    ]);
    expect(ledgerRows(db, "s").map((row) => row.key)).toEqual(["b"]);
    expect(rowCount(db, "ledger", "t")).toBe(1);
  });

  it("plants alert states and reads them by rule, then sync; the outbox in queue order", () => {
    const db = open();
    const alert = { status: "firing", firing_since: 1, resolved_at: null, run_id: null, updated_at: 2 };
    seedAlerts(db, [
      { ...alert, rule: "r", sync: "b" },
      { ...alert, rule: "r", sync: "a", run_id: "run_1" },
    ]);
    expect(alertRows(db)).toEqual([
      { ...alert, rule: "r", sync: "a", run_id: "run_1" },
      { ...alert, rule: "r", sync: "b" },
    ]);
    const queue = db.prepare(
      "INSERT INTO alert_outbox (channel, payload, next_attempt_at, created_at) VALUES (?, '{}', 0, 0)",
    );
    queue.run("z");
    queue.run("a");
    expect(outboxRows(db).map((row) => [row.channel, row.attempts, row.last_error])).toEqual([
      ["z", 0, null],
      ["a", 0, null],
    ]);
    expect(rowCount(db, "alert_outbox")).toBe(2);
  });

  it("reads the changelog in the order it was appended", () => {
    const db = open();
    const append = db.prepare(
      "INSERT INTO changelog (run_id, sync, key, operation, outcome, attempts, at) VALUES ('run_1', 's', ?, 'upsert', ?, 1, 0)",
    );
    append.run("2", "ok");
    append.run("1", "failed");
    expect(changelogRows(db).map(({ key, outcome, values }) => ({ key, outcome, values }))).toEqual([
      { key: "2", outcome: "ok", values: null },
      { key: "1", outcome: "failed", values: null },
    ]);
  });
});

describe("runs and sequence runs", () => {
  it("reads runs by id and counts the open ones", () => {
    const db = open();
    const insert = db.prepare("INSERT INTO runs (id, sync, status, trigger, created_at) VALUES (?, 's', ?, 'api', 0)");
    for (const [id, status] of [
      ["run_3", "running"],
      ["run_1", "succeeded"],
      ["run_2", "queued"],
    ]) {
      insert.run(id, status);
    }
    expect(runRows(db).map((run) => [run.id, run.status])).toEqual([
      ["run_1", "succeeded"],
      ["run_2", "queued"],
      ["run_3", "running"],
    ]);
    expect(openRunCount(db)).toBe(2);
  });

  it("leaves a sequence run as a dead process would: another owner, running again", () => {
    const db = open();
    db.prepare(
      `INSERT INTO sequence_runs (id, sequence, status, trigger, on_failure, members, created_at, finished_at, owner, heartbeat_at)
       VALUES (?, 'nightly', 'succeeded', 'api', 'stop', '[]', 0, 5, 'me:1:x', 4)`,
    ).run("seq_1");
    setSequenceRunOwner(db, "seq_1", "gone-host:1:dead", 0);
    reopenSequenceRun(db, "seq_1");
    expect(sequenceRunRows(db, "nightly")).toEqual([
      {
        id: "seq_1",
        sequence: "nightly",
        status: "running",
        finished_at: null,
        owner: "gone-host:1:dead",
        heartbeat_at: 0,
      },
    ]);
    expect(sequenceRunRows(db, "other")).toEqual([]);
  });
});
