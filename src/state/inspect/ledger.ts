import type Database from "better-sqlite3";

/** A retry-ledger row as stored (src/state/schema.ts `ledger`). */
export interface StoredLedgerRow {
  sync: string;
  key: string;
  operation: string;
  change: string;
  attempts: number;
  error_class: string;
  error_code: string;
  reason: string;
  first_failed_at: number;
  last_failed_at: number;
  next_attempt_at: number | null;
  last_run_id: string;
}

/** A failure to plant: `next_attempt_at` defaults to none (not scheduled). */
export type LedgerSeed = Omit<StoredLedgerRow, "next_attempt_at"> & { next_attempt_at?: number | null };

const COLUMNS =
  "sync, key, operation, change, attempts, error_class, error_code, reason, first_failed_at, last_failed_at, next_attempt_at, last_run_id";

/** Every ledger row, or one sync's, ordered by key then sync. */
export function ledgerRows(db: Database.Database, sync?: string): StoredLedgerRow[] {
  const statement = db.prepare(
    `SELECT ${COLUMNS} FROM ledger ${sync === undefined ? "" : "WHERE sync = ?"} ORDER BY key, sync`,
  );
  return (sync === undefined ? statement.all() : statement.all(sync)) as StoredLedgerRow[];
}

/** Plants ledger rows (records waiting for a retry) in one transaction. */
export function seedLedger(db: Database.Database, rows: Iterable<LedgerSeed>): void {
  const insert = db.prepare(`INSERT INTO ledger (${COLUMNS}) VALUES (${COLUMNS.replace(/\w+/g, "@$&")})`);
  db.transaction(() => {
    for (const row of rows) insert.run({ next_attempt_at: null, ...row });
  })();
}
