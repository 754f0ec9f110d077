import type Database from "better-sqlite3";

/** A changelog row as stored (src/state/schema.ts `changelog`). */
export interface StoredChange {
  id: number;
  run_id: string;
  sync: string;
  key: string;
  operation: string;
  outcome: string;
  code: string | null;
  reason: string | null;
  remote_id: string | null;
  attempts: number;
  at: number;
  values: string | null;
}

/** Every changelog row, in the order it was appended. */
export function changelogRows(db: Database.Database): StoredChange[] {
  return db
    .prepare(
      `SELECT id, run_id, sync, key, operation, outcome, code, reason, remote_id, attempts, at, "values"
       FROM changelog ORDER BY id`,
    )
    .all() as StoredChange[];
}
