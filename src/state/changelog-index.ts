import type Database from "better-sqlite3";

/**
 * The record changelog's index by record (schema.ts changelog_keys), filled off the batch
 * commits. Invariant: every changelog row whose id is at most `upto` has its entry; the rows
 * after it (appended since the last run ended, or left by a process that died) are read by id.
 */
export class ChangelogIndex {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.db = db;
    this.statements = prepare(db);
  }

  /**
   * Indexes up to `chunk` of the oldest rows not indexed yet, sorted by key, in one write
   * transaction taken at its start (so no commit lands between reading `upto` and moving it);
   * returns how many rows it covered: fewer than `chunk` when none are left.
   */
  indexChunk(chunk: number): number {
    const { range, insert, setUpto } = this.statements;
    return this.db
      .transaction(() => {
        const from = upto(this.statements);
        const { last, rows } = range.get(from, chunk) as { last: number | null; rows: number };
        if (last === null) return 0;
        insert.run(from, last);
        setUpto.run(last);
        return rows;
      })
      .immediate();
  }

  /** How many rows the index does not cover yet. */
  pending(): number {
    return (this.statements.pending.get(upto(this.statements)) as { rows: number }).rows;
  }
}

function upto(statements: ReturnType<typeof prepare>): number {
  return (statements.upto.get() as number | undefined) ?? 0;
}

function prepare(db: Database.Database) {
  return {
    upto: db.prepare("SELECT upto FROM changelog_index WHERE id = 1").pluck(),
    range: db.prepare(
      "SELECT max(id) AS last, count(*) AS rows FROM (SELECT id FROM changelog WHERE id > ? ORDER BY id LIMIT ?)",
    ),
    // OR IGNORE: an entry already there never stops the rows after it from being indexed.
    insert: db.prepare(
      `INSERT OR IGNORE INTO changelog_keys (sync, key, id)
       SELECT sync, key, id FROM changelog WHERE id > ? AND id <= ? ORDER BY sync, key, id`,
    ),
    setUpto: db.prepare(
      "INSERT INTO changelog_index (id, upto) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET upto = excluded.upto",
    ),
    pending: db.prepare("SELECT count(*) AS rows FROM changelog WHERE id > ?"),
  };
}
