import type { RunRecord } from "../../state/run-store.ts";
import type { FailingRecord } from "../../state/sync-log-store.ts";
import type { ChangelogEntry } from "./types.ts";

export type Row = Array<string | null>;

/** A UTC timestamp as text every warehouse casts to TIMESTAMP: `2026-12-06 09:15:26.123`. */
export function tsText(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

const int = (n: number | null | undefined) => (n === null || n === undefined ? null : String(Math.trunc(n)));

/** The run's row of sync_runs (RUN_COLUMNS order), from the runs table. */
export function runRow(run: RunRecord, loadedAt: number): Row {
  const c = run.counts;
  const duration = run.startedAt !== null && run.finishedAt !== null ? run.finishedAt - run.startedAt : null;
  return [
    run.id,
    run.sync,
    run.status,
    run.trigger,
    tsText(run.createdAt),
    tsText(run.startedAt),
    tsText(run.finishedAt),
    int(duration),
    int(c?.rowsRead),
    int(c?.unchanged),
    int(c?.invalid ?? run.invalid),
    int(c?.planned.added),
    int(c?.planned.changed),
    int(c?.planned.removed),
    int(c?.succeeded.added),
    int(c?.succeeded.changed),
    int(c?.succeeded.removed),
    int(c?.failed.added),
    int(c?.failed.changed),
    int(c?.failed.removed),
    run.error?.code ?? null,
    run.error?.message ?? null,
    tsText(loadedAt),
  ];
}

/** An entry's row of sync_changelog (CHANGELOG_COLUMNS order). */
export function changelogRow(entry: ChangelogEntry): Row {
  return [
    entry.runId,
    entry.sync,
    entry.key,
    entry.operation,
    entry.outcome,
    entry.code,
    entry.reason,
    entry.remoteId,
    int(entry.attempts),
    tsText(Date.parse(entry.at)),
  ];
}

const OPERATIONS: Record<string, ChangelogEntry["operation"]> = { added: "add", changed: "change", removed: "remove" };

/** What the ledger's error class means for a record: rejected (permanent) or to be retried. */
export function outcomeOf(errorClass: string): ChangelogEntry["outcome"] {
  return errorClass === "permanent" ? "reject" : "retry";
}

/**
 * A staged sync_snapshot row (SNAPSHOT_STAGE_COLUMNS order) from a changelog entry. A record
 * still in the ledger takes the ledger's status (its reason, attempts and first failure); one
 * that succeeded has its last success now.
 */
export function snapshotFromEntry(
  entry: ChangelogEntry,
  failing: FailingRecord | undefined,
  remoteId: string | undefined,
  seq: number,
): Row {
  const at = Date.parse(entry.at);
  const failed = failing !== undefined && entry.outcome !== "ok";
  return [
    entry.sync,
    entry.key,
    entry.operation,
    failed ? outcomeOf(failing.errorClass) : entry.outcome,
    failed ? failing.errorCode : entry.code,
    failed ? failing.reason : entry.reason,
    entry.remoteId ?? remoteId ?? null,
    int(failed ? failing.attempts : entry.attempts),
    entry.runId,
    tsText(at),
    entry.outcome === "ok" ? tsText(at) : null,
    failed ? tsText(failing.firstFailedAt) : null,
    int(seq),
  ];
}

/** A staged sync_snapshot row from the ledger alone (a record that failed in the run). */
export function snapshotFromLedger(
  sync: string,
  runId: string,
  record: FailingRecord,
  remoteId: string | undefined,
  seq: number,
): Row {
  return [
    sync,
    record.key,
    OPERATIONS[record.change] ?? record.change,
    outcomeOf(record.errorClass),
    record.errorCode,
    record.reason,
    remoteId ?? null,
    int(record.attempts),
    runId,
    tsText(record.lastFailedAt),
    null,
    tsText(record.firstFailedAt),
    int(seq),
  ];
}
