import type Database from "better-sqlite3";

/** An alert-state row as stored (src/state/schema.ts `alerts`). */
export interface StoredAlert {
  rule: string;
  sync: string;
  status: string;
  firing_since: number;
  resolved_at: number | null;
  run_id: string | null;
  updated_at: number;
}

/** A notification waiting in the outbox, as stored (src/state/schema.ts `alert_outbox`). */
export interface StoredNotification {
  id: number;
  channel: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
}

const ALERT_COLUMNS = "rule, sync, status, firing_since, resolved_at, run_id, updated_at";

/** Every alert row, ordered by rule then sync. */
export function alertRows(db: Database.Database): StoredAlert[] {
  return db.prepare(`SELECT ${ALERT_COLUMNS} FROM alerts ORDER BY rule, sync`).all() as StoredAlert[];
}

/** Plants alert rows (a status the alerting loop would have stored) in one transaction. */
export function seedAlerts(db: Database.Database, rows: Iterable<StoredAlert>): void {
  const insert = db.prepare(
    `INSERT INTO alerts (${ALERT_COLUMNS}) VALUES (@rule, @sync, @status, @firing_since, @resolved_at, @run_id, @updated_at)`,
  );
  db.transaction(() => {
    for (const row of rows) insert.run(row);
  })();
}

/** Every notification in the outbox, in the order it was queued. */
export function outboxRows(db: Database.Database): StoredNotification[] {
  return db
    .prepare(
      "SELECT id, channel, payload, attempts, next_attempt_at, last_error, created_at FROM alert_outbox ORDER BY id",
    )
    .all() as StoredNotification[];
}
