import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { TransientError } from "../../sdk/errors/transient-error.ts";
import type { DestinationCallRow } from "../../state/call-store.ts";
import { openState, type StateDatabase } from "../../state/database.ts";
import { changelogRows, ledgerRows, seedSnapshots, snapshotRows } from "../../state/inspect/index.ts";
import type { StagedRecord } from "../delta/staging.ts";
import { emptyCounts } from "../shared/counts.ts";
import { CallBuffer } from "../sink/call-buffer.ts";
import { Committer } from "./commit.ts";
import { type CommitThreadOptions, openCommitThread } from "./commit-thread.ts";
import type { FinalOutcome } from "./final-outcome.ts";

// The batch commits of a large run, on a writer thread with its own connection: the same rows
// as a commit on the run's thread, markers committed before a send, and failures that stop the
// run without losing what a crash would keep.
const dir = mkdtempSync(join(tmpdir(), "syncline-commit-thread-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function staged(key: string, change: StagedRecord["change"]): StagedRecord {
  return {
    seq: 0,
    key,
    change,
    fields: '{"name":"A"}',
    keyValues: JSON.stringify({ id: key.startsWith("s") ? key : Number(key) }),
    hash: `hash-${key}`,
    remoteId: null,
    fieldHashes: null,
    failedHashes: null,
    changedFields: null,
  };
}

const failed = (errorClass: "transient" | "permanent", attempts = 1): FinalOutcome => ({
  status: "failed",
  errorClass,
  code: "x",
  message: "no",
  attempts,
});

const call = (at: number): DestinationCallRow => ({
  destination: "hook",
  at,
  method: "POST",
  url: "http://example.test/",
  status: 200,
  ms: 3,
  requestBytes: 10,
  responseBytes: 2,
  runId: "run_1",
  batch: 1,
  error: null,
  requestBody: null,
  responseBody: null,
});

function setup(thread: CommitThreadOptions | undefined) {
  const state = openState(join(dir, `state-${Math.random().toString(36).slice(2)}.db`));
  seedSnapshots(state.sqlite, [
    { sync: "s", key: "3", hash: "h", remote_id: "r3", delivered_at: 1 },
    { sync: "s", key: "4", hash: "h", remote_id: "r4", delivered_at: 1 },
  ]);
  const calls = new CallBuffer({ append: () => {}, record: () => {} });
  const counts = emptyCounts();
  const writer = thread ? openCommitThread(state.sqlite, "s", "run_1", 1, thread) : undefined;
  const committer = new Committer(state.sqlite, {
    sync: "s",
    primaryKey: ["id"],
    runId: "run_1",
    counts,
    changelog: { values: true, redact: (text) => text },
    calls,
    thread: writer,
  });
  return { state, committer, counts, calls, writer };
}

/** What a run's commits left, without the times they were written at. */
function rows(state: StateDatabase) {
  const db = state.sqlite;
  return {
    snapshots: snapshotRows(db).map(({ delivered_at: _, ...row }) => row),
    ledger: ledgerRows(db).map(({ first_failed_at: _, last_failed_at: __, ...row }) => row),
    changelog: changelogRows(db).map(({ at: _, id: __, ...row }) => row),
    markers: db.prepare("SELECT sync, text_keys, json_keys FROM in_doubt_batches ORDER BY id").all(),
    calls: db.prepare("SELECT destination, at, status FROM destination_calls ORDER BY id").all(),
  };
}

/** A run's worth of commits: a partial batch, a delete, an abandoned batch and one left in flight. */
async function commits(committer: Committer, calls: CallBuffer) {
  const batch = ["1", "2", "5", "6", "7", "8", "s9"].map((key) => staged(key, "added")).concat(staged("3", "changed"));
  await committer.beforeSend(batch);
  calls.record(call(1), 10);
  committer.commit(
    batch,
    new Map<string, FinalOutcome>([
      ["1", { status: "ok", remoteId: "new-1", attempts: 1 }],
      ["2", failed("permanent")],
      ["5", failed("transient", 5)],
      ["3", failed("transient", 5)],
      ["6", { status: "deferred", attempts: 0 }],
      ["7", { status: "deferred", attempts: 2 }],
      ["s9", { status: "ok", attempts: 1 }],
    ]),
    "upsert",
  );
  committer.commit([staged("4", "removed")], new Map([["4", { status: "ok", attempts: 1 }]]), "delete");
  const refused = [staged("10", "added")];
  await committer.beforeSend(refused);
  committer.abandon(refused);
  await committer.beforeSend([staged("11", "added"), staged("s12", "added")]); // in flight when the run stops
  await committer.settled();
}

describe("batch commits on a writer thread", () => {
  it("write exactly what commits on the run's thread write, and count the same", async () => {
    const inline = setup(undefined);
    const threaded = setup({ threadedFrom: 0 });
    try {
      expect(threaded.writer).toBeDefined();
      await commits(inline.committer, inline.calls);
      await commits(threaded.committer, threaded.calls);
      const expected = rows(inline.state);
      expect(expected.snapshots.map((row) => `${row.key}:${row.hash}`)).toEqual([
        "1:hash-1",
        "3:",
        "5:",
        "7:",
        "8:",
        "s9:hash-s9",
      ]);
      expect(expected.markers).toHaveLength(1);
      expect(expected.calls).toHaveLength(1);
      expect(rows(threaded.state)).toEqual(expected);
      expect(threaded.counts).toEqual(inline.counts);
    } finally {
      await threaded.writer?.close();
      inline.state.close();
      threaded.state.close();
    }
  });

  it("commits a batch's marker before the batch may be sent", async () => {
    const { state, committer, writer } = setup({ threadedFrom: 0 });
    const other = new Database(state.path, { readonly: true });
    try {
      await committer.beforeSend([staged("1", "added")]);
      expect(other.prepare("SELECT text_keys, json_keys FROM in_doubt_batches").all()).toEqual([
        { text_keys: "[]", json_keys: '["1"]' },
      ]);
    } finally {
      other.close();
      await writer?.close();
      state.close();
    }
  });

  it("a commit that fails is withdrawn, and the run is refused further sends", async () => {
    const { state, committer, writer } = setup({ threadedFrom: 0 });
    try {
      const batch = [staged("1", "added"), staged("2", "added")];
      await committer.beforeSend(batch);
      state.sqlite.exec(
        "CREATE TRIGGER fail_changelog BEFORE INSERT ON changelog BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
      );
      committer.commit(batch, new Map([["1", { status: "ok", attempts: 1 }]]), "upsert");
      await expect(committer.settled()).rejects.toThrow(/disk on fire/);
      // As after a failed commit on the run's thread (sink.ts): the marker withdrawn, nothing delivered recorded.
      expect(rows(state).markers).toEqual([]);
      expect(rows(state).snapshots.map((row) => row.key)).toEqual(["3", "4"]);
      await expect(committer.beforeSend([staged("5", "added")])).rejects.toThrow(/disk on fire/);
    } finally {
      await writer?.close();
      state.close();
    }
  });

  it("a writer that cannot start fails the run with a transient error before anything is sent", async () => {
    const broken = join(dir, "broken-worker.mjs");
    writeFileSync(broken, "throw new Error('no driver here');\n");
    const { state, committer, writer } = setup({ threadedFrom: 0, worker: pathToFileURL(broken) });
    try {
      const attempt = committer.beforeSend([staged("1", "added")]);
      await expect(attempt).rejects.toBeInstanceOf(TransientError);
      await expect(attempt).rejects.toThrow(/batch commit writer failed/);
      expect(rows(state).markers).toEqual([]);
    } finally {
      await writer?.close();
      state.close();
    }
  });

  it("small runs, in-memory state and one-CPU settings commit on the run's thread", () => {
    const file = openState(join(dir, "small.db"));
    const memory = openState(":memory:");
    try {
      expect(openCommitThread(file.sqlite, "s", "run_1", 99_999)).toBeUndefined();
      expect(openCommitThread(memory.sqlite, "s", "run_1", 1_000_000, { threadedFrom: 0 })).toBeUndefined();
      expect(openCommitThread(file.sqlite, "s", "run_1", 1_000_000, { threadedFrom: Number.POSITIVE_INFINITY })).toBe(
        undefined,
      );
    } finally {
      file.close();
      memory.close();
    }
  });
});
