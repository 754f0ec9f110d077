import type { RunCounts } from "../engine/index.ts";
import type { LedgerEntry } from "../state/ledger-store.ts";
import type { RunRecord } from "../state/run-store.ts";
import type { Live } from "./progress.ts";
import type { FailureView, RunView } from "./schemas.ts";

/**
 * A run as the API shows it: ISO times, a duration, counts (live while it runs), what it is
 * waiting for right now, and links.
 */
export function runView(run: RunRecord, live?: Live, now = Date.now()): RunView {
  const end = run.finishedAt ?? (run.status === "running" ? now : null);
  const running = run.status === "running";
  const wait = running && live?.waiting && live.waiting.until > now ? live.waiting : undefined;
  return {
    id: run.id,
    sync: run.sync,
    status: run.status,
    trigger: run.trigger,
    options: { fullResync: run.options.fullResync === true, forceDeletes: run.options.forceDeletes === true },
    createdAt: iso(run.createdAt),
    startedAt: run.startedAt === null ? null : iso(run.startedAt),
    finishedAt: run.finishedAt === null ? null : iso(run.finishedAt),
    durationMs: run.startedAt !== null && end !== null ? end - run.startedAt : null,
    counts: copyCounts(running && live?.counts ? live.counts : run.counts),
    invalid: { count: run.counts?.invalid ?? run.invalid, samples: run.invalidSamples },
    error: run.error,
    waiting: wait
      ? {
          cause: wait.cause,
          destination: wait.destination,
          message: wait.message,
          since: iso(wait.until - wait.ms),
          until: iso(wait.until),
        }
      : null,
    links: {
      self: `/v1/runs/${run.id}`,
      cancel: `/v1/runs/${run.id}/cancel`,
      sync: `/v1/syncs/${run.sync}`,
      failures: `/v1/syncs/${run.sync}/failures`,
    },
  };
}

export function failureView(entry: LedgerEntry): FailureView {
  return {
    key: entry.key,
    operation: entry.operation,
    change: entry.change,
    attempts: entry.attempts,
    errorClass: entry.errorClass,
    errorCode: entry.errorCode,
    reason: entry.reason,
    firstFailedAt: iso(entry.firstFailedAt),
    lastFailedAt: iso(entry.lastFailedAt),
    lastRunId: entry.lastRunId,
  };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A snapshot, so a live counts object the engine keeps mutating is read once. */
function copyCounts(counts: RunCounts | null | undefined): RunCounts | null {
  if (!counts) return null;
  return {
    rowsRead: counts.rowsRead,
    unchanged: counts.unchanged,
    invalid: counts.invalid,
    planned: { ...counts.planned },
    succeeded: { ...counts.succeeded },
    failed: { ...counts.failed },
  };
}
