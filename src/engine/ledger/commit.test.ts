import { afterEach, describe, expect, it } from "vitest";
import { openState, type StateDatabase } from "../../state/database.ts";
import { expandInDoubtBatches } from "../../state/in-doubt-batches.ts";
import { changelogRows, ledgerRows, seedSnapshots, snapshotRows } from "../../state/inspect/index.ts";
import type { StagedRecord } from "../delta/staging.ts";
import { emptyCounts, type RunCounts } from "../shared/counts.ts";
import { Committer, type PendingCalls } from "./commit.ts";
import type { FinalOutcome } from "./final-outcome.ts";

// A batch's outcomes against the real state: in-doubt markers, partial batches, the ledger,
// deletes, and the one transaction a commit is.
let state: StateDatabase;
afterEach(() => state?.close());

function setup(options: { calls?: PendingCalls; primaryKey?: string[] } = {}) {
  state = openState(":memory:");
  const counts = emptyCounts();
  const committer = new Committer(state.sqlite, {
    sync: "s",
    primaryKey: options.primaryKey ?? ["id"],
    runId: "run_1",
    counts,
    changelog: { values: false, redact: (text) => text },
    calls: options.calls,
  });
  return { committer, counts };
}

function deliver(key: string, hash = "h", fieldHashes: string | null = null) {
  seedSnapshots(state.sqlite, [
    { sync: "s", key, hash, remote_id: `r${key}`, delivered_at: 1, field_hashes: fieldHashes },
  ]);
}

function staged(key: string, change: StagedRecord["change"], id: unknown = Number(key)): StagedRecord {
  const removed = change === "removed";
  return {
    seq: 0,
    key,
    change,
    fields: removed ? null : '{"name":"A"}',
    keyValues: removed ? null : JSON.stringify({ id }),
    hash: removed ? null : `hash-${key}`,
    remoteId: null,
    fieldHashes: null,
    failedHashes: null,
    changedFields: null,
  };
}

const snapshot = () =>
  Object.fromEntries(snapshotRows(state.sqlite).map((row) => [row.key, `${row.hash}|${row.key_json}`]));
const ledger = () =>
  ledgerRows(state.sqlite).map(({ key, attempts, error_class }) => ({ key, attempts, errorClass: error_class }));
const changelog = () =>
  changelogRows(state.sqlite)
    .map(({ key, outcome }) => ({ key, outcome }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
const failed = (errorClass: "transient" | "permanent", attempts = 1): FinalOutcome => ({
  status: "failed",
  errorClass,
  code: "x",
  message: "no",
  attempts,
});
const markers = () => state.sqlite.prepare("SELECT count(*) FROM in_doubt_batches").pluck().get();
const split = (counts: RunCounts) => ({ succeeded: counts.succeeded, failed: counts.failed });

describe("before a batch is sent", () => {
  it("marks the keys it adds in doubt, with how each key is kept, as one marker; a crash leaves them in doubt", () => {
    const { committer } = setup();
    deliver("3");
    committer.beforeSend([staged("1", "added"), staged("2", "added", "2"), staged("3", "changed")]);
    expect(markers()).toBe(1);
    expect(snapshot()).toEqual({ "3": "h|null" });
    // The process dies before the commit: the next run (or the next open) expands the marker.
    expandInDoubtBatches(state.sqlite, "s");
    expect(markers()).toBe(0);
    expect(snapshot()).toEqual({ "1": "|1", "2": "|0", "3": "h|null" });
    expect([...committer.jsonKeys([staged("1", "removed"), staged("2", "removed")])]).toEqual(["1"]);
  });

  it("expands one sync's markers at its run's start, and every sync's when the state is opened", () => {
    const { committer } = setup();
    committer.beforeSend([staged("1", "added")]);
    const other = new Committer(state.sqlite, { sync: "t", primaryKey: ["id"], runId: "run_2", counts: emptyCounts() });
    other.beforeSend([staged("9", "added")]);
    expandInDoubtBatches(state.sqlite, "s");
    expect(markers()).toBe(1);
    expandInDoubtBatches(state.sqlite);
    expect(markers()).toBe(0);
    expect(snapshotRows(state.sqlite).map(({ sync, key, hash }) => `${sync}/${key}/${hash}`)).toEqual(["s/1/", "t/9/"]);
  });

  it("writes no marker for a batch that adds nothing", () => {
    const { committer } = setup();
    deliver("3");
    committer.beforeSend([staged("3", "changed")]);
    expect(markers()).toBe(0);
  });

  for (const expanded of [false, true]) {
    it(`abandon (a configuration error) withdraws the in-doubt markers, never a delivered row${expanded ? " (marker expanded meanwhile)" : ""}`, () => {
      const { committer } = setup();
      deliver("2");
      const batch = [staged("1", "added"), staged("2", "added")];
      committer.beforeSend(batch);
      if (expanded) expandInDoubtBatches(state.sqlite);
      committer.abandon(batch);
      expect(snapshot()).toEqual({ "2": "h|null" });
      expect(markers()).toBe(0);
    });
  }
});

describe("a batch's commit", () => {
  // `expanded`: another process opened the state while the batch was in flight, which expands
  // its marker into in-doubt rows; the commit must settle the same way.
  for (const expanded of [false, true]) {
    it(`settles a partial batch record by record, in the snapshot, the ledger, the counts and the changelog${expanded ? " (marker expanded meanwhile)" : ""}`, () => {
      const { committer, counts } = setup();
      deliver("3");
      deliver("4");
      const batch = ["1", "2", "5", "6", "7", "8"]
        .map((key) => staged(key, "added"))
        .concat([staged("3", "changed"), staged("4", "changed")]);
      committer.beforeSend(batch);
      if (expanded) expandInDoubtBatches(state.sqlite);
      const outcomes = new Map<string, FinalOutcome>([
        ["1", { status: "ok", remoteId: "new-1", attempts: 1 }],
        ["2", failed("permanent")],
        ["5", failed("transient", 5)],
        ["3", failed("transient", 5)],
        ["4", { status: "deferred", attempts: 0 }],
        ["6", { status: "deferred", attempts: 0 }],
        ["7", { status: "deferred", attempts: 2 }],
      ]);
      committer.commit(batch, outcomes, "upsert");
      // Accepted: delivered. Refused add: never created. Given-up add: stays in doubt. Failed
      // change: sent again next run. Never sent: untouched (an add: no row). Sent, then stopped,
      // or without an outcome: in doubt.
      const inDoubt = { "5": "|1", "7": "|1", "8": "|1" };
      expect(snapshot()).toEqual({ "1": "hash-1|1", "3": "|null", "4": "h|null", ...inDoubt });
      expect(markers()).toBe(0);
      expect(ledger()).toEqual([
        { key: "2", attempts: 1, errorClass: "permanent" },
        { key: "3", attempts: 5, errorClass: "transient" },
        { key: "5", attempts: 5, errorClass: "transient" },
      ]);
      expect(split(counts)).toEqual({
        succeeded: { added: 1, changed: 0, removed: 0 },
        failed: { added: 2, changed: 1, removed: 0 },
      });
      expect(changelog()).toEqual([
        { key: "1", outcome: "ok" },
        { key: "2", outcome: "reject" },
        { key: "3", outcome: "retry" },
        { key: "5", outcome: "retry" },
        { key: "7", outcome: "retry" },
      ]);
    });
  }

  it("adds up a record's attempts across runs, and clears its ledger entry once delivered", () => {
    const { committer } = setup();
    deliver("1");
    const batch = [staged("1", "changed")];
    committer.commit(batch, new Map([["1", failed("transient", 5)]]), "upsert");
    committer.commit(batch, new Map([["1", failed("transient", 5)]]), "upsert");
    expect(ledger()).toEqual([{ key: "1", attempts: 10, errorClass: "transient" }]);
    committer.commit(batch, new Map([["1", { status: "ok", attempts: 1 }]]), "upsert");
    expect(ledger()).toEqual([]);
    expect(snapshot()).toEqual({ "1": "hash-1|1" });
  });

  it("a delivered delete removes the snapshot row; a failed one keeps it, to be deleted again", () => {
    const { committer, counts } = setup();
    deliver("1");
    deliver("2");
    const batch = [staged("1", "removed"), staged("2", "removed")];
    committer.commit(
      batch,
      new Map([
        ["1", { status: "ok", attempts: 1 }],
        ["2", failed("transient", 5)],
      ]),
      "delete",
    );
    expect(snapshot()).toEqual({ "2": "h|null" });
    expect(ledger()).toEqual([{ key: "2", attempts: 5, errorClass: "transient" }]);
    expect(split(counts).succeeded.removed).toBe(1);
  });

  /** A committer whose commits fail inside their transaction while `failing.now` is set. */
  function failingSetup() {
    const failing = { now: false };
    const calls = {
      appendPending: () => {
        if (failing.now) throw new Error("disk full");
      },
    };
    return { ...setup({ calls }), failing };
  }

  it("is one transaction: when a write inside it fails, nothing of the batch is kept", () => {
    const { committer, failing } = failingSetup();
    deliver("2");
    const batch = [staged("1", "added"), staged("2", "changed")];
    committer.beforeSend(batch);
    failing.now = true;
    const outcomes = new Map<string, FinalOutcome>([
      ["1", { status: "ok", attempts: 1 }],
      ["2", failed("permanent")],
    ]);
    expect(() => committer.commit(batch, outcomes, "upsert")).toThrow("disk full");
    expect(snapshot()).toEqual({ "2": "h|null" });
    expect(ledger()).toEqual([]);
    expect(changelog()).toEqual([]);
    // The batch's in-doubt marker is kept too: the next run would find key 1 in doubt.
    expect(markers()).toBe(1);
    expandInDoubtBatches(state.sqlite, "s");
    expect(snapshot()).toEqual({ "1": "|1", "2": "h|null" });
  });

  it("keeps the marker of a commit rolled back, for abandon to withdraw", () => {
    const { committer, failing } = failingSetup();
    const batch = [staged("1", "added")];
    committer.beforeSend(batch);
    failing.now = true;
    expect(() => committer.commit(batch, new Map([["1", { status: "ok", attempts: 1 }]]), "upsert")).toThrow();
    failing.now = false;
    committer.abandon(batch);
    expect(markers()).toBe(0);
    expect(snapshot()).toEqual({});
  });

  it("keeps a composite key as JSON (its parts' types are in the key itself)", () => {
    const { committer } = setup({ primaryKey: ["id", "email"] });
    const record = { ...staged('[1,"a"]', "added"), keyValues: '{"id":1,"email":"a"}' };
    committer.commit([record], new Map([[record.key, { status: "ok", attempts: 1 }]]), "upsert");
    expect(snapshot()).toEqual({ '[1,"a"]': `hash-[1,"a"]|1` });
  });

  it("writes a large batch whole, keeping the remote ids it had where the destination gave none", () => {
    const { committer } = setup();
    for (let i = 0; i < 250; i += 2) deliver(String(i), "old");
    const batch = Array.from({ length: 250 }, (_, i) => staged(String(i), i % 2 === 0 ? "changed" : "added"));
    committer.beforeSend(batch);
    const outcomes = new Map<string, FinalOutcome>(
      batch.map((r, i) => [r.key, { status: "ok", attempts: 1, remoteId: i % 4 === 0 ? `new${i}` : undefined }]),
    );
    committer.commit(batch, outcomes, "upsert");
    const rows = new Map(snapshotRows(state.sqlite).map((row) => [row.key, row]));
    expect(rows.size).toBe(250);
    expect([...rows.values()].every((row) => row.hash === `hash-${row.key}`)).toBe(true);
    expect([0, 2, 1, 3, 248, 249].map((i) => rows.get(String(i))!.remote_id)).toEqual([
      "new0",
      "r2",
      null,
      null,
      "new248",
      null,
    ]);
  });
});

const record: StagedRecord = {
  seq: 1,
  key: "1",
  change: "changed",
  fields: '{"name":"B"}',
  keyValues: '{"id":1}',
  hash: "new-hash",
  remoteId: "r1",
  fieldHashes: "next",
  failedHashes: "dirty",
  changedFields: '["name"]',
};
const fieldHashes = () =>
  snapshotRows(state.sqlite)
    .filter((row) => row.key === "1")
    .map((row) => ({ hash: row.hash, f: row.field_hashes }))[0];

// Field hashes in the snapshot across a batch's outcomes (sendChangedFieldsOnly): they change
// only when the destination accepted the record; otherwise the next run sends the record with
// every field of the failed or unsettled attempt (failedHashes, computed when planning).
describe("field hashes", () => {
  it.each<[string, FinalOutcome, { hash: string; f: string }]>([
    ["accepted: the new hashes", { status: "ok", attempts: 1 }, { hash: "new-hash", f: "next" }],
    [
      "refused: sent again, with the fields of the failed attempt",
      { status: "failed", errorClass: "permanent", code: "x", message: "no", attempts: 1 },
      { hash: "", f: "dirty" },
    ],
    [
      "retries used up: the same",
      { status: "failed", errorClass: "transient", code: "x", message: "busy", attempts: 5 },
      { hash: "", f: "dirty" },
    ],
    [
      "carried by a call but unsettled (shutdown): in doubt",
      { status: "deferred", attempts: 1 },
      { hash: "", f: "dirty" },
    ],
    [
      "never sent (the run stopped first): untouched",
      { status: "deferred", attempts: 0 },
      { hash: "old-hash", f: "delivered" },
    ],
  ])("%s", (_name, outcome, expected) => {
    const { committer } = setup();
    deliver("1", "old-hash", "delivered");
    committer.commit([record], new Map([["1", outcome]]), "upsert");
    expect(fieldHashes()).toEqual(expected);
  });
});
