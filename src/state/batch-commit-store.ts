import type Database from "better-sqlite3";
import type { LedgerEntry } from "./ledger-store.ts";

/** A delivered record's snapshot row: what the destination now holds. */
export type DeliveredRow = [
  key: string,
  hash: string | null,
  remoteId: string | null,
  fieldHashes: string | null,
  /** 1: the key is JSON, 0: the key is the value itself (schema.ts, snapshots.keyJson). */
  keyJson: 0 | 1,
];

/** A record the destination has not accepted (yet), for the retry ledger. */
export type Failure = Pick<
  LedgerEntry,
  "key" | "operation" | "change" | "attempts" | "errorClass" | "errorCode" | "reason"
>;

/**
 * The snapshot and ledger writes of one sync's batch commits (src/engine/ledger/commit.ts).
 * Statements are prepared once per run: this is the sink's hot path. Batch statements take a
 * JSON array (json_each), one statement per batch instead of one per record. None opens a
 * transaction: the caller commits a batch's writes together.
 */
export class BatchCommitStore {
  private readonly sync: string;
  private readonly statements: Statements;

  constructor(db: Database.Database, sync: string) {
    this.sync = sync;
    this.statements = prepare(db);
  }

  /** Removes a key's in-doubt row (never a delivered one). */
  clearInDoubt(key: string): void {
    this.statements.deleteInDoubt.run(this.sync, key);
  }

  /** Removes the in-doubt rows of these keys (never a delivered one). */
  clearAllInDoubt(keys: readonly string[]): void {
    if (keys.length > 0) this.statements.deleteAllInDoubt.run(this.sync, JSON.stringify(keys));
  }

  /**
   * An added record the destination may hold: an in-doubt row (written here, its batch being
   * marked as a whole, src/state/in-doubt-batches.ts), or the row it has made in doubt again.
   */
  keepInDoubt(key: string, keyJson: 0 | 1, fieldHashes: string | null, markedAt: number): void {
    this.statements.upsertInDoubt.run(this.sync, key, markedAt, fieldHashes, keyJson);
  }

  /** The next run sends the record again, with the fields these hashes say (src/engine/delta/field-hashes.ts). */
  invalidate(key: string, fieldHashes: string | null): void {
    this.statements.invalidateRow.run(fieldHashes, this.sync, key);
  }

  /** The destination does not hold the record: no snapshot row. */
  forget(key: string): void {
    this.statements.deleteRow.run(this.sync, key);
  }

  /** Adds the failure to the ledger, or updates the key's entry (attempts add up). */
  recordFailure(failure: Failure, now: number, runId: string): void {
    const { key, operation, change, attempts, errorClass, errorCode, reason } = failure;
    this.statements.upsertFailure.run(
      this.sync,
      key,
      operation,
      change,
      attempts,
      errorClass,
      errorCode,
      reason,
      now,
      now,
      runId,
    );
  }

  /**
   * Snapshot rows for delivered records; a record delivered without a remote id keeps the one it
   * had. Bound as parameters of multi-row statements: a JSON array would be built here and
   * parsed again by SQLite, once per column of every row.
   */
  upsertDelivered(rows: readonly DeliveredRow[], now: number): void {
    const { upsertMany, upsertOne } = this.statements;
    // Whole statements of UPSERT_ROWS rows first, then the rest row by row.
    const whole = rows.length - (rows.length % UPSERT_ROWS);
    const values: unknown[] = [];
    for (let i = 0; i < rows.length; i++) {
      const [key, hash, remoteId, fieldHashes, keyJson] = rows[i]!;
      values.push(this.sync, key, hash, remoteId, now, fieldHashes, keyJson);
      if (i >= whole) upsertOne.run(values);
      else if (values.length === 7 * UPSERT_ROWS) upsertMany.run(values);
      else continue;
      values.length = 0;
    }
  }

  /** Deletes delivered: their snapshot rows go. */
  forgetAll(keys: readonly string[]): void {
    if (keys.length > 0) this.statements.deleteRows.run(this.sync, JSON.stringify(keys));
  }

  /** Those of `keys` whose snapshot row says they are JSON (a mirror delete's key values). */
  jsonKeys(keys: readonly string[]): Set<string> {
    if (keys.length === 0) return new Set();
    return new Set(this.statements.selectJsonKeys.all(this.sync, JSON.stringify(keys)) as string[]);
  }

  /** Delivered records leave the ledger. */
  resolve(keys: readonly string[]): void {
    if (keys.length > 0) this.statements.deleteFailures.run(this.sync, JSON.stringify(keys));
  }
}

type Statements = ReturnType<typeof prepare>;

/** Rows per multi-row upsert statement (7 parameters each); the rest of a batch goes one by one. */
const UPSERT_ROWS = 100;

/** `INSERT … VALUES` of `rows` delivered rows, upserted. */
function upsertSql(rows: number): string {
  const values = Array.from({ length: rows }, () => "(?, ?, ?, ?, ?, ?, ?)").join(", ");
  return `INSERT INTO snapshots (sync, key, hash, remote_id, delivered_at, field_hashes, key_json) VALUES ${values}
    ON CONFLICT(sync, key) DO UPDATE SET hash = excluded.hash, field_hashes = excluded.field_hashes,
      key_json = excluded.key_json,
      remote_id = coalesce(excluded.remote_id, snapshots.remote_id), delivered_at = excluded.delivered_at`;
}

function prepare(db: Database.Database) {
  return {
    upsertInDoubt: db.prepare(
      `INSERT INTO snapshots (sync, key, hash, remote_id, delivered_at, field_hashes, key_json)
       VALUES (?, ?, '', NULL, ?, ?, ?)
       ON CONFLICT(sync, key) DO UPDATE SET hash = '', field_hashes = excluded.field_hashes`,
    ),
    deleteInDoubt: db.prepare("DELETE FROM snapshots WHERE sync = ? AND key = ? AND hash = ''"),
    deleteAllInDoubt: db.prepare(
      "DELETE FROM snapshots WHERE sync = ? AND hash = '' AND key IN (SELECT value FROM json_each(?))",
    ),
    invalidateRow: db.prepare("UPDATE snapshots SET hash = '', field_hashes = ? WHERE sync = ? AND key = ?"),
    deleteRow: db.prepare("DELETE FROM snapshots WHERE sync = ? AND key = ?"),
    upsertFailure: db.prepare(
      `INSERT INTO ledger (sync, key, operation, change, attempts, error_class, error_code, reason,
         first_failed_at, last_failed_at, next_attempt_at, last_run_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
       ON CONFLICT(sync, key) DO UPDATE SET operation = excluded.operation, change = excluded.change,
         attempts = ledger.attempts + excluded.attempts, error_class = excluded.error_class,
         error_code = excluded.error_code, reason = excluded.reason, last_failed_at = excluded.last_failed_at,
         last_run_id = excluded.last_run_id`,
    ),
    upsertMany: db.prepare(upsertSql(UPSERT_ROWS)),
    upsertOne: db.prepare(upsertSql(1)),
    deleteRows: db.prepare("DELETE FROM snapshots WHERE sync = ? AND key IN (SELECT value FROM json_each(?))"),
    selectJsonKeys: db
      .prepare("SELECT key FROM snapshots WHERE sync = ? AND key IN (SELECT value FROM json_each(?)) AND key_json = 1")
      .pluck(),
    deleteFailures: db.prepare("DELETE FROM ledger WHERE sync = ? AND key IN (SELECT value FROM json_each(?))"),
  };
}
