import type Database from "better-sqlite3";

export interface LedgerEntry {
  key: string;
  operation: string;
  change: string;
  attempts: number;
  errorClass: string;
  errorCode: string;
  reason: string;
  firstFailedAt: number;
  lastFailedAt: number;
  nextAttemptAt: number | null;
  lastRunId: string;
}

const COLUMNS = `key, operation, change, attempts, error_class AS errorClass, error_code AS errorCode, reason,
  first_failed_at AS firstFailedAt, last_failed_at AS lastFailedAt, next_attempt_at AS nextAttemptAt,
  last_run_id AS lastRunId`;

/** Reads of the retry ledger (the failure report). Writes happen in commit.ts, per batch. */
export class LedgerStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  count(sync: string): number {
    return (this.db.prepare("SELECT count(*) AS n FROM ledger WHERE sync = ?").get(sync) as { n: number }).n;
  }

  countsBySync(): Map<string, number> {
    const rows = this.db.prepare("SELECT sync, count(*) AS n FROM ledger GROUP BY sync").all() as Array<{
      sync: string;
      n: number;
    }>;
    return new Map(rows.map((row) => [row.sync, row.n]));
  }

  /** Keyset-paginated by key; `after` is the last key of the previous page. */
  list(sync: string, page: { limit: number; after?: string | undefined }): LedgerEntry[] {
    return (
      page.after === undefined
        ? this.db.prepare(`SELECT ${COLUMNS} FROM ledger WHERE sync = ? ORDER BY key LIMIT ?`).all(sync, page.limit)
        : this.db
            .prepare(`SELECT ${COLUMNS} FROM ledger WHERE sync = ? AND key > ? ORDER BY key LIMIT ?`)
            .all(sync, page.after, page.limit)
    ) as LedgerEntry[];
  }

  /** Every entry, page by page, for exports. */
  *all(sync: string, pageSize = 1000): Generator<LedgerEntry> {
    let after: string | undefined;
    for (;;) {
      const page = this.list(sync, { limit: pageSize, after });
      if (page.length === 0) return;
      yield* page;
      after = page[page.length - 1]!.key;
    }
  }

  /** The entries that first failed before `before`: how many, and the oldest (for the ledger-age alert). */
  olderThan(sync: string, before: number): { count: number; oldest: LedgerEntry | undefined } {
    const { n } = this.db
      .prepare("SELECT count(*) AS n FROM ledger WHERE sync = ? AND first_failed_at < ?")
      .get(sync, before) as { n: number };
    if (n === 0) return { count: 0, oldest: undefined };
    const oldest = this.db
      .prepare(`SELECT ${COLUMNS} FROM ledger WHERE sync = ? ORDER BY first_failed_at, key LIMIT 1`)
      .get(sync) as LedgerEntry;
    return { count: n, oldest };
  }
}
