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

export interface LedgerFilter {
  text?: string | undefined;
  errorClass?: string | undefined;
  /** Entries whose last failed attempt was in this run. */
  runId?: string | undefined;
}

const COLUMNS = `key, operation, change, attempts, error_class AS errorClass, error_code AS errorCode, reason,
  first_failed_at AS firstFailedAt, last_failed_at AS lastFailedAt, next_attempt_at AS nextAttemptAt,
  last_run_id AS lastRunId`;

/** Reads of the retry ledger (the failure report). Writes: batch-commit-store.ts, per batch. */
export class LedgerStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** Whether the sync has any entry (without counting them). */
  exists(sync: string): boolean {
    return this.db.prepare("SELECT 1 FROM ledger WHERE sync = ? LIMIT 1").get(sync) !== undefined;
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

  get(sync: string, key: string): LedgerEntry | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM ledger WHERE sync = ? AND key = ?`).get(sync, key) as
      | LedgerEntry
      | undefined;
  }

  /**
   * A page of the entries matching a filter (the console's failure list), keyset-paginated by
   * key, and how many match in all. `text` is a case-insensitive substring of the key, the
   * reason or the error code.
   */
  search(sync: string, filter: LedgerFilter, page: { limit: number; after?: string | undefined }) {
    const where = ["sync = ?"];
    const params: Array<string | number> = [sync];
    if (filter.text) {
      where.push("(instr(lower(key), ?) > 0 OR instr(lower(reason), ?) > 0 OR instr(lower(error_code), ?) > 0)");
      const needle = filter.text.toLowerCase();
      params.push(needle, needle, needle);
    }
    if (filter.errorClass) {
      where.push("error_class = ?");
      params.push(filter.errorClass);
    }
    if (filter.runId) {
      where.push("last_run_id = ?");
      params.push(filter.runId);
    }
    const matching = `FROM ledger WHERE ${where.join(" AND ")}`;
    const total = (this.db.prepare(`SELECT count(*) AS n ${matching}`).get(...params) as { n: number }).n;
    const after = page.after === undefined ? "" : " AND key > ?";
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} ${matching}${after} ORDER BY key LIMIT ?`)
      .all(...params, ...(page.after === undefined ? [] : [page.after]), page.limit) as LedgerEntry[];
    return { total, rows };
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
