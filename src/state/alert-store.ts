import type Database from "better-sqlite3";

export type AlertStatus = "firing" | "resolved";

export interface AlertRow {
  rule: string;
  sync: string;
  status: AlertStatus;
  firingSince: number;
  resolvedAt: number | null;
  runId: string | null;
  updatedAt: number;
}

export interface OutboxEntry {
  id: number;
  channel: string;
  payload: string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
}

const ALERT_COLUMNS = `rule, sync, status, firing_since AS firingSince, resolved_at AS resolvedAt, run_id AS runId,
  updated_at AS updatedAt`;
const OUTBOX_COLUMNS = `id, channel, payload, attempts, next_attempt_at AS nextAttemptAt, last_error AS lastError,
  created_at AS createdAt`;

/**
 * The alert tables: each (rule, sync)'s status, and the outbox of notifications not yet
 * accepted by their channel. A status change and its notifications are written together
 * (`atomically`), so a crash between them can neither lose a notification nor repeat one.
 */
export class AlertStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** Runs `fn` in one IMMEDIATE transaction: two processes sharing the state file cannot both change an alert. */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  get(rule: string, sync: string): AlertRow | undefined {
    return this.db.prepare(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE rule = ? AND sync = ?`).get(rule, sync) as
      | AlertRow
      | undefined;
  }

  put(row: AlertRow): void {
    this.db
      .prepare(
        `INSERT INTO alerts (rule, sync, status, firing_since, resolved_at, run_id, updated_at)
         VALUES (@rule, @sync, @status, @firingSince, @resolvedAt, @runId, @updatedAt)
         ON CONFLICT (rule, sync) DO UPDATE SET status = excluded.status, firing_since = excluded.firing_since,
           resolved_at = excluded.resolved_at, run_id = excluded.run_id, updated_at = excluded.updated_at`,
      )
      .run(row);
  }

  firing(): AlertRow[] {
    return this.db
      .prepare(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE status = 'firing' ORDER BY rule, sync`)
      .all() as AlertRow[];
  }

  all(): AlertRow[] {
    return this.db.prepare(`SELECT ${ALERT_COLUMNS} FROM alerts ORDER BY rule, sync`).all() as AlertRow[];
  }

  forget(rule: string, sync: string): void {
    this.db.prepare("DELETE FROM alerts WHERE rule = ? AND sync = ?").run(rule, sync);
  }

  enqueue(channel: string, payload: string, at: number): void {
    this.db
      .prepare("INSERT INTO alert_outbox (channel, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?)")
      .run(channel, payload, at, at);
  }

  /**
   * Notifications due now, oldest first. A channel keeps its order: nothing is due behind one
   * of its notifications that waits for a retry (a resolve never overtakes its trigger).
   */
  due(now: number, limit = 100): OutboxEntry[] {
    return this.db
      .prepare(
        `SELECT ${OUTBOX_COLUMNS} FROM alert_outbox AS o WHERE next_attempt_at <= ? AND NOT EXISTS (
           SELECT 1 FROM alert_outbox AS earlier
           WHERE earlier.channel = o.channel AND earlier.id < o.id AND earlier.next_attempt_at > ?)
         ORDER BY id LIMIT ?`,
      )
      .all(now, now, limit) as OutboxEntry[];
  }

  /** When the next waiting notification falls due, if any waits. */
  nextDueAt(): number | undefined {
    const row = this.db.prepare("SELECT min(next_attempt_at) AS at FROM alert_outbox").get() as { at: number | null };
    return row.at ?? undefined;
  }

  pending(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM alert_outbox").get() as { n: number }).n;
  }

  /** Accepted by the channel, or given up on: either way it leaves the outbox. */
  remove(id: number): void {
    this.db.prepare("DELETE FROM alert_outbox WHERE id = ?").run(id);
  }

  defer(id: number, nextAttemptAt: number, error: string): void {
    this.db
      .prepare("UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?")
      .run(nextAttemptAt, error, id);
  }
}
