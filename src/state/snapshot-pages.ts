import type Database from "better-sqlite3";

const PAGE = 8192;
export const ROW = "\u0002";
export const FIELD = "\u0001";

/**
 * One page of a sync's snapshot in key order: either ONE string built by group_concat
 * (`hash FIELD key` joined by ROW) or, for a page with a key that contains the row separator,
 * the rows themselves.
 */
export type SnapshotPage = { text: string; rows?: undefined } | { rows: Array<[string, string]>; text?: undefined };

/**
 * Reads a sync's snapshot (key and hash) in key order (SQLite's BINARY collation), a page at a
 * time, for the ordered merge (src/engine/delta/snapshot-cursor.ts). One aggregate string per
 * page costs less than rows returned one by one as arrays. It concatenates in the subquery's
 * order (ORDER BY inside the aggregate would sort every page again); the cursor checks the
 * order anyway. Hashes are base64url or '' and never contain the separators. The page's last
 * key and whether a key holds the row separator are found here, not by SQLite (max(key) and
 * max(instr(key, …)) per row doubled the read's time).
 */
export class SnapshotPages {
  private last: string | undefined;
  private done = false;
  private readonly sync: string;
  private readonly first: Database.Statement;
  private readonly next: Database.Statement;
  private readonly exact: Database.Statement;
  private readonly exactFirst: Database.Statement;

  constructor(db: Database.Database, sync: string) {
    this.sync = sync;
    const page = (where: string) =>
      db.prepare(
        `SELECT group_concat(hash || '${FIELD}' || key, '${ROW}') AS text, count(*) AS n
         FROM (SELECT key, hash FROM snapshots WHERE sync = ? ${where} ORDER BY key LIMIT ${PAGE})`,
      );
    this.first = page("");
    this.next = page("AND key > ?");
    const rows = (where: string) =>
      db.prepare(`SELECT key, hash FROM snapshots WHERE sync = ? ${where} ORDER BY key LIMIT ${PAGE}`).raw();
    this.exactFirst = rows("");
    this.exact = rows("AND key > ?");
  }

  /** The next page, or undefined at the end. */
  read(): SnapshotPage | undefined {
    if (this.done) return undefined;
    const args = this.last === undefined ? [this.sync] : [this.sync, this.last];
    const page = (this.last === undefined ? this.first : this.next).get(...args) as { text: string | null; n: number };
    if (page.n < PAGE) this.done = true;
    if (page.n === 0 || page.text === null) return undefined;
    const { text } = page;
    // n rows are n - 1 row separators; more means a key holds one: read that page row by row.
    let separators = 0;
    let lastRow = 0;
    for (let at = text.indexOf(ROW); at >= 0; at = text.indexOf(ROW, at + 1)) {
      separators++;
      lastRow = at + 1;
    }
    if (separators !== page.n - 1) {
      const rows = (this.last === undefined ? this.exactFirst : this.exact).all(...args) as Array<[string, string]>;
      this.last = rows[rows.length - 1]![0];
      return { rows };
    }
    this.last = text.slice(text.indexOf(FIELD, lastRow) + 1);
    return { text };
  }
}
