import type Database from "better-sqlite3";
import type { DeliveredRow } from "../../state/batch-commit-store.ts";
import type { DestinationCallRow } from "../../state/call-store.ts";
import type { NewChangelogRow } from "../../state/changelog-store.ts";
import { type CommitOp, type CommitWriter, commitWriter, recordWrites } from "../../state/commit-writes.ts";
import type { StagedRecord } from "../delta/staging.ts";
import type { RunCounts } from "../shared/counts.ts";
import { type ChangelogOptions, changelogRow } from "./changelog-row.ts";
import type { CommitThread } from "./commit-thread.ts";
import type { FinalOutcome } from "./final-outcome.ts";

type Commit = (records: StagedRecord[], outcomes: Map<string, FinalOutcome>, operation: string) => void;

const QUOTE = 0x22;
export interface CommitterOptions {
  sync: string;
  primaryKey: readonly string[];
  runId: string;
  /** Counted as outcomes are committed. */
  counts: RunCounts;
  changelog?: ChangelogOptions | undefined;
  /** The API inspector's call log: its pending calls are written inside each commit's transaction. */
  calls?: PendingCalls | undefined;
  /** Commit on this writer thread (commit-thread.ts) instead of on the run's own. */
  thread?: CommitThread | undefined;
}

/** Calls recorded while a batch was sent (src/engine/sink/call-buffer.ts), written by the caller's transaction. */
export interface PendingCalls {
  appendPending?(sink: { append(call: DestinationCallRow, keep: number): void }): void;
}

/**
 * Applies one batch's outcomes in one SQLite transaction (capability 4): the snapshot
 * advances only for what the destination accepted, and the ledger records what it did not,
 * so a crash before this commit re-sends the batch and a crash after it loses nothing.
 */
export class Committer {
  /** The run's connection: its reads (`jsonKeys`), and its writes when there is no writer thread. */
  private readonly writer: ReturnType<typeof commitWriter>;
  private readonly primaryKey: readonly string[];
  private readonly keyValuePrefix: number;
  private readonly runId: string;
  private readonly counts: RunCounts;
  private readonly changelog: ChangelogOptions | undefined;
  private readonly calls: PendingCalls | undefined;
  /** Each batch marked in doubt before its send: its marker's id and when it was written. */
  private readonly marked = new WeakMap<readonly StagedRecord[], { id: number; at: number }>();
  private readonly commitInTransaction: Commit;
  private readonly abandonInTransaction: (records: StagedRecord[]) => void;
  private readonly thread: CommitThread | undefined;
  /** Writes handed to the thread and not yet answered; the first that failed. */
  private readonly writing = new Set<Promise<boolean>>();
  private failure: unknown;

  constructor(db: Database.Database, options: CommitterOptions) {
    const { sync, runId, changelog } = options;
    this.writer = commitWriter(db, sync, runId);
    this.primaryKey = options.primaryKey;
    this.keyValuePrefix = `{${JSON.stringify(options.primaryKey[0] ?? "")}:`.length;
    this.runId = runId;
    this.counts = options.counts;
    this.changelog = changelog;
    this.calls = options.calls;
    this.thread = options.thread;
    this.commitInTransaction = db.transaction((records, outcomes, operation) =>
      this.apply(this.writer, records, outcomes, operation),
    );
    this.abandonInTransaction = db.transaction((records: StagedRecord[]) => this.withdraw(this.writer, records));
  }

  /**
   * Before a batch is sent: the keys it adds are marked in doubt, the batch as one marker
   * (src/state/in-doubt-batches.ts). If the process dies after the destination accepted them
   * but before the commit, the marker becomes an in-doubt snapshot row per key (empty hash):
   * a later run re-sends them, or, in mirror mode, deletes them once they leave the model.
   * Nothing Syncline created is orphaned. The commit writes each key's own row instead.
   * Resolves once the marker is committed; with a writer thread, rejects once a commit failed.
   */
  async beforeSend(records: StagedRecord[]): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const added: [text: string[], json: string[]] = [[], []];
    for (const record of records) if (record.change === "added") added[this.keyJson(record)].push(record.key);
    const at = Date.now();
    const id = this.thread
      ? await this.thread.mark(added[0], added[1], at)
      : this.writer.markers.mark(added[0], added[1], at);
    if (id !== undefined) this.marked.set(records, { id, at });
  }

  /** The batch was refused before the destination processed it (a configuration error). */
  abandon(records: StagedRecord[]): void {
    if (this.thread) {
      void this.hand(this.recorded((writer) => this.withdraw(writer, records))).then(
        (written) => written && this.marked.delete(records),
      );
      return;
    }
    this.abandonInTransaction(records);
    this.marked.delete(records);
  }

  /**
   * Those of the records whose snapshot key is JSON (`keyIsJson` when delivered): what a removed
   * record's key values are rebuilt from, the model no longer having them.
   */
  jsonKeys(records: readonly StagedRecord[]): Set<string> {
    if (this.primaryKey.length !== 1) return new Set(records.map((record) => record.key));
    return this.writer.store.jsonKeys(records.map((record) => record.key));
  }

  /**
   * Applies the batch's final outcomes (records without one are left as they are). With a writer
   * thread the writes are handed to it and this returns at once: `settled` says when they are
   * committed, and a commit that fails is withdrawn like an abandoned batch.
   */
  commit(records: StagedRecord[], outcomes: Map<string, FinalOutcome>, operation: string): void {
    if (this.thread) {
      const ops = this.recorded((writer) => this.apply(writer, records, outcomes, operation));
      // A commit that failed is withdrawn, as a failed commit on this thread is (sink.ts).
      void this.hand(ops).then((written) => (written ? this.marked.delete(records) : this.abandon(records)));
      return;
    }
    this.commitInTransaction(records, outcomes, operation);
    // Only once committed: a commit rolled back keeps the marker, for `abandon` or the next run.
    this.marked.delete(records);
  }

  /** Resolves once every commit handed to the writer thread is written; rejects with the first that failed. */
  async settled(): Promise<void> {
    while (this.writing.size > 0) await Promise.allSettled([...this.writing]);
    if (this.failure !== undefined) throw this.failure;
  }

  /** The writes `write` makes, recorded for the writer thread. */
  private recorded(write: (writer: CommitWriter) => void): CommitOp[] {
    const ops: CommitOp[] = [];
    write(recordWrites(ops));
    return ops;
  }

  /** Hands writes to the thread: resolves whether they were committed (`settled` keeps the first failure). */
  private hand(ops: CommitOp[]): Promise<boolean> {
    const written = this.thread!.write(ops).then(
      () => true,
      (error: unknown) => {
        this.failure ??= error;
        return false;
      },
    );
    this.writing.add(written);
    void written.finally(() => this.writing.delete(written));
    return written;
  }

  private withdraw(writer: CommitWriter, records: readonly StagedRecord[]): void {
    this.release(writer, records);
    writer.store.clearAllInDoubt(records.filter((record) => record.change === "added").map((record) => record.key));
  }

  private apply(
    writer: CommitWriter,
    records: StagedRecord[],
    outcomes: Map<string, FinalOutcome>,
    operation: string,
  ): void {
    const now = Date.now();
    const marker = this.release(writer, records);
    const delivered: string[] = [];
    const upserts: DeliveredRow[] = [];
    const logged: NewChangelogRow[] = [];
    for (const record of records) {
      const outcome = outcomes.get(record.key);
      if (!outcome) {
        // Sent but not settled: it stays in doubt, as its marker said.
        if (marker && record.change === "added") this.keepInDoubt(writer, record, null, marker.at);
        continue;
      }
      if (this.changelog) {
        const row = changelogRow(record, outcome, this.changelog);
        if (row) logged.push(row);
      }
      if (outcome.status === "deferred") {
        this.settleDeferred(writer, record, outcome.attempts, marker?.at ?? now);
      } else if (outcome.status === "ok") {
        delivered.push(record.key);
        if (operation !== "delete")
          upserts.push([record.key, record.hash, outcome.remoteId ?? null, record.fieldHashes, this.keyJson(record)]);
        this.counts.succeeded[record.change]++;
      } else {
        this.settleFailed(writer, record, outcome, operation, now, marker?.at ?? now);
      }
    }
    if (this.changelog && logged.length > 0) writer.changelog.append(logged, now);
    this.calls?.appendPending?.(writer.calls);
    if (operation === "delete") writer.store.forgetAll(delivered);
    else writer.store.upsertDelivered(upserts, now);
    writer.store.resolve(delivered);
  }

  /**
   * Not settled (the run stopped sending): no ledger entry, no attempt counted. A record never
   * sent loses its in-doubt marker; one a call carried stays in doubt, so the next run sends it
   * again even if the model reverts to the value the snapshot holds.
   */
  private settleDeferred(writer: CommitWriter, record: StagedRecord, attempts: number, markedAt: number): void {
    if (attempts === 0) {
      if (record.change === "added") writer.store.clearInDoubt(record.key);
    } else if (record.change === "added") {
      this.keepInDoubt(writer, record, record.failedHashes, markedAt);
    } else if (record.change !== "removed") {
      writer.store.invalidate(record.key, record.failedHashes);
    }
  }

  /** Deletes the batch's in-doubt marker, if it has one: the caller's transaction writes its keys' rows. */
  private release(writer: CommitWriter, records: readonly StagedRecord[]): { id: number; at: number } | undefined {
    const marker = this.marked.get(records);
    if (marker) writer.markers.release(marker.id);
    return marker;
  }

  private keepInDoubt(writer: CommitWriter, record: StagedRecord, fieldHashes: string | null, markedAt: number): void {
    writer.store.keepInDoubt(record.key, this.keyJson(record), fieldHashes, markedAt);
  }

  /**
   * How the snapshot keeps the record's key (src/sdk/key.ts keyIsJson): 1 JSON, 0 the value
   * itself. A single-column key's `keyValues` is `{"<column>":<value>}` (record.ts
   * keyValuesJson), so its value is a string exactly when a quote follows that prefix: read in
   * place, as this runs for every added record, twice (before the send and at the commit).
   */
  private keyJson(record: StagedRecord): 0 | 1 {
    if (this.primaryKey.length !== 1) return 1;
    if (record.keyValues === null) return 0;
    return record.keyValues.charCodeAt(this.keyValuePrefix) === QUOTE ? 0 : 1;
  }

  private settleFailed(
    writer: CommitWriter,
    record: StagedRecord,
    outcome: Extract<FinalOutcome, { status: "failed" }>,
    operation: string,
    now: number,
    markedAt: number,
  ): void {
    const failure = {
      key: record.key,
      operation,
      change: record.change,
      attempts: outcome.attempts,
      errorClass: outcome.errorClass,
      errorCode: outcome.code,
      reason: outcome.message.slice(0, 2000),
    };
    writer.store.recordFailure(failure, now, this.runId);
    if (record.change === "added" && outcome.errorClass === "permanent") {
      // Refused: the destination did not create it, so Syncline never delivered it.
      writer.store.forget(record.key);
    } else if (record.change === "added") {
      // The destination may hold it (after a timeout): the next run must send it again.
      this.keepInDoubt(writer, record, record.failedHashes, markedAt);
    } else if (record.change !== "removed") {
      // The destination may hold an older value, or (after a timeout) the new one: either
      // way the next run must send it again.
      writer.store.invalidate(record.key, record.failedHashes);
    }
    this.counts.failed[record.change]++;
  }
}
