import type Database from "better-sqlite3";
import { DEFAULTS } from "../../config/defaults.ts";
import type { DestinationRecord } from "../../sdk/destination.ts";
import { keyValuesOf } from "../../sdk/key.ts";
import type { Logger } from "../../sdk/logger.ts";
import { StagedJsonRecord } from "../../sdk/record-json.ts";
import type { StagingArea } from "../../state/staging-area.ts";
import type { StagedRecord } from "../delta/staging.ts";
import { Committer } from "../ledger/commit.ts";
import { type CommitThreadOptions, openCommitThread } from "../ledger/commit-thread.ts";
import type { FinalOutcome } from "../ledger/final-outcome.ts";
import type { FieldLookup } from "../schema/discover.ts";
import { type Change, type RunCounts, total } from "../shared/counts.ts";
import { operationFor, type SyncSpec } from "../shared/sync-spec.ts";
import { inSpan } from "../shared/tracing.ts";
import { batches, recordBytes } from "./batcher.ts";
import { deliver } from "./deliver.ts";
import type { DestinationHandle } from "./destination-handle.ts";
import type { CallLog } from "./inspector.ts";
import { screen } from "./screen.ts";
import { type Halt, type Wait, WaitBudget } from "./waits.ts";

export interface SinkOptions {
  db: Database.Database;
  staging: StagingArea;
  spec: SyncSpec;
  destination: DestinationHandle;
  runId: string;
  counts: RunCounts;
  logger: Logger;
  /** Stop dispatching new batches (cancel, shutdown): batches in flight still finish and commit. */
  stop: AbortSignal;
  /** Abort calls in flight (shutdown past its grace). */
  abort: AbortSignal;
  onBatch?: (info: { records: number; ms: number; error?: { kind: string } }) => void;
  onWait?: (wait: Wait) => void;
  /** The destination's fields, when it described them: values are coerced, or the record rejected unsent. */
  fields?: FieldLookup | undefined;
  /** The API inspector's call log; none: calls are not recorded. */
  calls?: CallLog | undefined;
  /** The delta's records when its strategy streams them (DeltaStrategy.pages); else the staging table's. */
  pages?: ((changes: readonly Change[]) => AsyncIterable<StagedRecord[]> | undefined) | undefined;
  /** When the batch commits run on a writer thread (src/engine/ledger/commit-thread.ts; tests force it). */
  commitThread?: CommitThreadOptions | undefined;
}

export interface SinkResult {
  /** Why sending stopped before the delta was through (a quota, the wait budget); the rest is for the next run. */
  halted?: Halt | undefined;
}

/**
 * Sends the staged delta (capability 2): upserts first, then mirror deletes; batches bounded
 * by the destination's limits; at most `concurrency` batches in flight; each batch committed
 * as soon as all of its records have a final outcome.
 */
export async function sink(options: SinkOptions): Promise<SinkResult> {
  const { spec, destination, staging, counts } = options;
  // One budget and one halt for the whole run, whatever batch waits or meets the quota.
  const budget = new WaitBudget(spec.maxWaitMs);
  const halting = new AbortController();
  let halted: Halt | undefined;
  const halt = (reason: Halt) => {
    halted ??= reason;
    halting.abort();
  };
  const stop = AbortSignal.any([options.stop, halting.signal]);
  const { changelog } = spec;
  const thread = openCommitThread(options.db, spec.name, options.runId, total(counts.planned), options.commitThread);
  if (thread) options.logger.debug({ records: total(counts.planned) }, "batch commits on a writer thread");
  const committer = new Committer(options.db, {
    sync: spec.name,
    primaryKey: spec.primaryKey,
    runId: options.runId,
    counts,
    changelog: changelog.enabled ? { values: changelog.values, redact: destination.redact } : undefined,
    calls: options.calls,
    thread,
  });
  const inspector = destination.inspector;
  let batchNumber = 0;
  const caps = destination.capabilities;
  const limits = {
    maxRecords: Math.max(1, Math.min(caps.maxRecords, spec.batchSize ?? Number.POSITIVE_INFINITY)),
    maxBytes: caps.maxBytes,
  };
  const concurrency = Math.max(1, caps.concurrency);
  // With a writer thread, one batch more is built and marked while the others are sent: it
  // waits for its turn at the destination's limiter (a stop leaves it unsent, as its commit says).
  const lookAhead = thread ? 1 : 0;
  const groups: Array<{ changes: Change[]; operation: ReturnType<typeof operationFor> }> = [
    { changes: ["added"], operation: operationFor(spec.mode, "added") },
    { changes: ["changed"], operation: operationFor(spec.mode, "changed") },
    { changes: ["removed"], operation: operationFor(spec.mode, "removed") },
  ];
  // Added and changed share an operation in most modes: send them as one stream.
  if (groups[0]!.operation === groups[1]!.operation) {
    groups.splice(0, 2, { changes: ["added", "changed"], operation: groups[0]!.operation });
  }

  let fatal: unknown;
  const inFlight = new Set<Promise<void>>();
  try {
    for (const { changes, operation } of groups) {
      if (!operation || fatal || stop.aborted) continue;
      const oversized = (record: StagedRecord, bytes: number) => {
        const outcome: FinalOutcome = {
          status: "failed",
          errorClass: "permanent",
          code: "record_too_large",
          message: `the record is ${bytes} bytes; ${destination.name} accepts at most ${limits.maxBytes} bytes per call — map fewer or smaller fields`,
          attempts: 0,
        };
        committer.commit([record], new Map([[record.key, outcome]]), operation);
      };
      const pages = options.pages?.(changes) ?? staging.pages(changes, DEFAULTS.chunkRows);
      for await (const staged of batches(pages, limits, oversized)) {
        if (fatal || stop.aborted) break;
        // Removed records: their key values are rebuilt from the snapshot's key (the model has no row).
        const jsonKeys = operation === "delete" ? committer.jsonKeys(staged) : undefined;
        const record = (one: StagedRecord) => toRecord(one, spec.primaryKey, jsonKeys);
        const screened = screen(staged, record, operation === "delete" ? undefined : options.fields);
        if (screened.rejected.size > 0) committer.commit(staged, screened.rejected, operation);
        const batch = screened.send;
        if (batch.length === 0) continue;
        // Marked before it is sent; a writer thread answers while the next batch is built.
        const marked = operation === "delete" ? Promise.resolve() : committer.beforeSend(batch);
        const batchBytes = options.calls && inspector ? batch.reduce((sum, record) => sum + recordBytes(record), 0) : 0;
        const inspect = options.calls &&
          inspector && {
            log: options.calls,
            settings: inspector,
            destination: destination.name,
            redact: destination.redact,
            runId: options.runId,
            batch: ++batchNumber,
            bytesPerRecord: batchBytes / batch.length,
          };
        const attributes = {
          "syncline.operation": operation,
          "syncline.records": batch.length,
          "syncline.object": spec.object,
          "syncline.destination": destination.name,
        };
        const send = () =>
          inSpan("sync.batch", attributes, destination.redact, async (span) => {
            const started = performance.now();
            const outcomes = await deliver(screened.records, {
              destination,
              object: spec.object,
              operation,
              options: spec.options,
              logger: options.logger,
              signal: options.abort,
              stop,
              budget,
              halt,
              onWait: options.onWait,
              maxAttempts: DEFAULTS.sink.maxAttempts,
              inspect,
            });
            committer.commit(batch, outcomes, operation);
            if (span?.isRecording()) span.setAttributes(outcomeCounts(outcomes));
            options.onBatch?.({ records: batch.length, ms: performance.now() - started });
          }).catch((error: unknown) => {
            committer.abandon(batch);
            fatal ??= error;
          });
        const task = marked.then(send, (error: unknown) => {
          fatal ??= error; // not marked, so not sent
        });
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
        if (inFlight.size >= concurrency + lookAhead) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    }
  } finally {
    // Every batch sent is committed (or withdrawn) before the run records how it ended.
    await Promise.allSettled(inFlight);
    fatal ??= await committer.settled().then(
      () => undefined,
      (error: unknown) => error,
    );
    await thread?.close();
  }
  if (fatal) throw fatal;
  return { halted };
}

function outcomeCounts(outcomes: Map<string, FinalOutcome>): Record<string, number> {
  const counts = { "syncline.records.ok": 0, "syncline.records.failed": 0, "syncline.records.deferred": 0 };
  for (const outcome of outcomes.values()) counts[`syncline.records.${outcome.status}`]++;
  return counts;
}

/** The record as the plugin sees it; its values are parsed from the staged JSON only if the plugin reads them. */
function toRecord(
  staged: StagedRecord,
  primaryKey: readonly string[],
  jsonKeys: ReadonlySet<string> | undefined,
): DestinationRecord {
  return new StagedJsonRecord(
    staged.key,
    staged.keyValues || keyValuesOf(staged.key, primaryKey, jsonKeys?.has(staged.key)),
    staged.fields || null,
    staged.remoteId ?? undefined,
  );
}
