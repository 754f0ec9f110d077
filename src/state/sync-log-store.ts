import type Database from "better-sqlite3";

export interface PendingLoad {
  runId: string;
  sync: string;
  attempts: number;
  lastError: string | null;
}

/** A failing record of a run, as the ledger holds it (for the warehouse's sync_snapshot). */
export interface FailingRecord {
  key: string;
  change: string;
  errorClass: string;
  errorCode: string;
  reason: string;
  attempts: number;
  firstFailedAt: number;
  lastFailedAt: number;
}

/**
 * The state behind warehouse sync logs: runs whose logs are not loaded yet (an outbox), and
 * the reads that give each record's latest status (ledger, local snapshot).
 */
export class SyncLogStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** Records that a finished run's logs are to be loaded (once: a run is added at most once). */
  add(runId: string, sync: string, now = Date.now()): void {
    this.db
      .prepare("INSERT OR IGNORE INTO sync_log_pending (run_id, sync, created_at) VALUES (?, ?, ?)")
      .run(runId, sync, now);
  }

  /** The sync's pending loads, oldest run first (run ids sort by creation time). */
  pending(sync: string): PendingLoad[] {
    return this.db
      .prepare(
        `SELECT run_id AS runId, sync, attempts, last_error AS lastError FROM sync_log_pending
         WHERE sync = ? ORDER BY run_id`,
      )
      .all(sync) as PendingLoad[];
  }

  count(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM sync_log_pending").get() as { n: number }).n;
  }

  loaded(runId: string): void {
    this.db.prepare("DELETE FROM sync_log_pending WHERE run_id = ?").run(runId);
  }

  /** A failed attempt; `error` is already redacted. */
  failed(runId: string, error: string): void {
    this.db
      .prepare("UPDATE sync_log_pending SET attempts = attempts + 1, last_error = ? WHERE run_id = ?")
      .run(error, runId);
  }

  /** The ledger's entries whose last failed attempt was in this run, by key, page by page. */
  *failingInRun(sync: string, runId: string, pageSize = 1000): Generator<FailingRecord[]> {
    const page = this.db.prepare(
      `SELECT key, change, error_class AS errorClass, error_code AS errorCode, reason, attempts,
         first_failed_at AS firstFailedAt, last_failed_at AS lastFailedAt
       FROM ledger WHERE sync = ? AND last_run_id = ? AND key > ? ORDER BY key LIMIT ?`,
    );
    let after = "";
    for (;;) {
      const rows = page.all(sync, runId, after, pageSize) as FailingRecord[];
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.key;
    }
  }

  /** The remote ids the local snapshot holds for these keys (absent in warehouse-diff mode). */
  remoteIds(sync: string, keys: readonly string[]): Map<string, string> {
    if (keys.length === 0) return new Map();
    const rows = this.db
      .prepare(
        `SELECT key, remote_id AS remoteId FROM snapshots
         WHERE sync = ? AND key IN (SELECT value FROM json_each(?)) AND remote_id IS NOT NULL`,
      )
      .all(sync, JSON.stringify(keys)) as Array<{ key: string; remoteId: string }>;
    return new Map(rows.map((row) => [row.key, row.remoteId]));
  }

  /** The ledger's view of these keys (records still failing after their run). */
  ledgerFor(sync: string, keys: readonly string[]): Map<string, FailingRecord> {
    if (keys.length === 0) return new Map();
    const rows = this.db
      .prepare(
        `SELECT key, change, error_class AS errorClass, error_code AS errorCode, reason, attempts,
           first_failed_at AS firstFailedAt, last_failed_at AS lastFailedAt
         FROM ledger WHERE sync = ? AND key IN (SELECT value FROM json_each(?))`,
      )
      .all(sync, JSON.stringify(keys)) as FailingRecord[];
    return new Map(rows.map((row) => [row.key, row]));
  }
}
