import type Database from "better-sqlite3";

export type ChangelogOperation = "add" | "change" | "remove";
export type ChangelogOutcome = "ok" | "retry" | "reject";

/**
 * One record's final outcome in one run: the changelog row. This shape is a contract (rows are
 * also written to the warehouse through it): change it only with its readers.
 */
export interface ChangelogEntry {
  runId: string;
  sync: string;
  key: string;
  operation: ChangelogOperation;
  outcome: ChangelogOutcome;
  code: string | null;
  reason: string | null;
  remoteId: string | null;
  attempts: number;
  /** ISO 8601. */
  at: string;
}

/** A row as stored, with the values sent when the sync opted in (`changelog: { values: true }`). */
export interface ChangelogRow extends ChangelogEntry {
  /** The row's position in the changelog: the paging cursor. */
  id: number;
  values: string | null;
}

/** A row being appended: `at` in epoch milliseconds. */
export type NewChangelogRow = [
  key: string,
  operation: ChangelogOperation,
  outcome: ChangelogOutcome,
  code: string | null,
  reason: string | null,
  remoteId: string | null,
  attempts: number,
  values: string | null,
];

const COLUMNS = `id, run_id AS runId, sync, key, operation, outcome, code, reason, remote_id AS remoteId, attempts,
  strftime('%Y-%m-%dT%H:%M:%fZ', at / 1000.0, 'unixepoch') AS at, "values"`;

/**
 * Appends a batch's rows with one prepared statement over a JSON array (json_each), inside the
 * caller's transaction (the batch commit in src/engine/ledger/commit.ts): no transaction of its own.
 */
export function changelogAppender(
  db: Database.Database,
  sync: string,
  runId: string,
): (rows: NewChangelogRow[], at: number) => void {
  const insert = db.prepare(
    `INSERT INTO changelog (run_id, sync, key, operation, outcome, code, reason, remote_id, attempts, at, "values")
     SELECT ?, ?, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5,
       j.value ->> 6, ?, j.value ->> 7 FROM json_each(?) AS j`,
  );
  // Most rows of a run are plain successes (delivered at the first attempt, no values kept): they
  // go as [key, remote id] pairs, a third of the JSON to build and parse.
  const insertPlain = db.prepare(
    `INSERT INTO changelog (run_id, sync, key, operation, outcome, code, reason, remote_id, attempts, at, "values")
     SELECT ?, ?, j.value ->> 0, ?, 'ok', NULL, NULL, j.value ->> 1, 1, ?, NULL FROM json_each(?) AS j`,
  );
  return (rows, at) => {
    if (rows.length === 0) return;
    const operation = rows[0]![1];
    const plain: Array<[string, string | null]> = [];
    for (const row of rows) {
      if (row[2] !== "ok" || row[6] !== 1 || row[7] !== null || row[1] !== operation) {
        insert.run(runId, sync, at, JSON.stringify(rows));
        return;
      }
      plain.push([row[0], row[5]]);
    }
    insertPlain.run(runId, sync, operation, at, JSON.stringify(plain));
  };
}

/** Reads and prunes the record changelog. */
export class ChangelogStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** A run's rows in the order they were committed, keyset-paginated: `after` is the last row's id. */
  forRun(runId: string, page: { outcome?: ChangelogOutcome | undefined; after?: number | undefined; limit: number }) {
    const where = ["run_id = ?"];
    const params: Array<string | number> = [runId];
    if (page.outcome) {
      where.push("outcome = ?");
      params.push(page.outcome);
    }
    if (page.after !== undefined) {
      where.push("id > ?");
      params.push(page.after);
    }
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM changelog WHERE ${where.join(" AND ")} ORDER BY id LIMIT ?`)
      .all(...params, page.limit) as ChangelogRow[];
  }

  /**
   * Every run that touched a record, newest first; `before` is the last row's id of the previous
   * page. The index by record (changelog_keys) covers the rows up to its `upto`; the rows after
   * it, appended since the last run ended, are scanned by id.
   */
  forRecord(sync: string, key: string, page: { before?: number | undefined; limit: number }): ChangelogRow[] {
    const before = page.before === undefined ? "" : " AND id < ?";
    return this.db
      .prepare(
        `SELECT ${COLUMNS} FROM changelog WHERE id IN (
           SELECT id FROM changelog_keys WHERE sync = ? AND key = ?
           UNION ALL
           SELECT id FROM changelog WHERE id > coalesce((SELECT upto FROM changelog_index WHERE id = 1), 0)
             AND sync = ? AND key = ?
         )${before} ORDER BY id DESC LIMIT ?`,
      )
      .all(sync, key, sync, key, ...(page.before === undefined ? [] : [page.before]), page.limit) as ChangelogRow[];
  }

  /** Every row of a run, page by page (CSV exports). */
  *allForRun(runId: string, outcome?: ChangelogOutcome, pageSize = 1000): Generator<ChangelogRow> {
    let after: number | undefined;
    for (;;) {
      const page = this.forRun(runId, { outcome, after, limit: pageSize });
      if (page.length === 0) return;
      yield* page;
      after = page[page.length - 1]!.id;
    }
  }

  count(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM changelog").get() as { n: number }).n;
  }

  /**
   * Deletes up to `chunk` of the oldest rows written before `before` (epoch ms), with their
   * entries in the index by record, and returns how many. Rows are appended in time order, so
   * the oldest ids are the oldest rows: one short transaction over the start of the table,
   * never a long write lock. Call again until it returns less than `chunk`.
   */
  pruneChunk(before: number, chunk: number): number {
    const oldest = "SELECT id FROM changelog ORDER BY id LIMIT ?";
    const prune = this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM changelog_keys WHERE (sync, key, id) IN (
             SELECT sync, key, id FROM changelog WHERE id IN (${oldest}) AND at < ?)`,
        )
        .run(chunk, before);
      const { changes } = this.db
        .prepare(`DELETE FROM changelog WHERE id IN (${oldest}) AND at < ?`)
        .run(chunk, before);
      // The newest rows gone, SQLite hands their ids out again: they must not count as indexed.
      this.db
        .prepare(
          "UPDATE changelog_index SET upto = min(upto, coalesce((SELECT max(id) FROM changelog), 0)) WHERE id = 1",
        )
        .run();
      return changes;
    });
    return prune();
  }
}

/**
 * A run's changelog page by page, as the warehouse sync logs load it: entries only, never the
 * values a sync opted in to keep (they stay in the state file).
 */
export function changelogPages(db: Database.Database, pageSize = 5000) {
  const store = new ChangelogStore(db);
  return async function* pages(runId: string): AsyncGenerator<ChangelogEntry[]> {
    let after: number | undefined;
    for (;;) {
      const rows = store.forRun(runId, { after, limit: pageSize });
      if (rows.length === 0) return;
      yield rows.map(({ id: _id, values: _values, ...entry }) => entry);
      after = rows[rows.length - 1]!.id;
    }
  };
}
