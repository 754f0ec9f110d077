import type Database from "better-sqlite3";

/** Raised when a stream the ordered merge relies on is not in key order. */
export class OrderViolation extends Error {
  constructor(where: string) {
    super(`${where} is not in key order`);
  }
}

const PAGE = 8192;
const ROW = "\u0002";
const FIELD = "\u0001";

/**
 * A sync's snapshot (key and hash), in key order (SQLite's BINARY collation), one page at a
 * time. Each page comes back as ONE string built by group_concat and is split here: rows
 * returned one by one as arrays cost 4.3 s for 10M rows, the aggregate 2.8 s. It concatenates
 * in the subquery's order (ORDER BY inside the aggregate sorts every page again: 4.9 s), and
 * advance() checks the order anyway. Hashes are base64url or '' and never contain the
 * separators; a page with a key that contains the row separator is read row by row instead.
 */
export class SnapshotCursor {
  key: string | undefined;
  hash = "";
  private text = "";
  private at = 0;
  private last: string | undefined;
  private done = false;
  private rows: Array<[string, string]> | undefined;
  private readonly first: Database.Statement;
  private readonly next: Database.Statement;
  private readonly exact: Database.Statement;
  private readonly exactFirst: Database.Statement;

  private readonly sync: string;

  constructor(db: Database.Database, sync: string) {
    this.sync = sync;
    const page = (where: string) =>
      db.prepare(
        `SELECT group_concat(hash || '${FIELD}' || key, '${ROW}') AS text, count(*) AS n, max(key) AS last,
           max(instr(key, '${ROW}')) AS bad
         FROM (SELECT key, hash FROM snapshots WHERE sync = ? ${where} ORDER BY key LIMIT ${PAGE})`,
      );
    this.first = page("");
    this.next = page("AND key > ?");
    const rows = (where: string) =>
      db.prepare(`SELECT key, hash FROM snapshots WHERE sync = ? ${where} ORDER BY key LIMIT ${PAGE}`).raw();
    this.exactFirst = rows("");
    this.exact = rows("AND key > ?");
    this.advance();
  }

  /** Moves to the next entry (key undefined at the end). Throws OrderViolation if keys go backwards. */
  advance(): void {
    const previous = this.key;
    if (!this.read()) {
      this.key = undefined;
      return;
    }
    if (previous !== undefined && !(previous < this.key!)) throw new OrderViolation("the snapshot");
  }

  private read(): boolean {
    if (this.rows) {
      const row = this.rows[this.at++];
      if (row) {
        [this.key, this.hash] = row;
        return true;
      }
      this.rows = undefined;
    } else if (this.at < this.text.length) {
      const field = this.text.indexOf(FIELD, this.at);
      let end = this.text.indexOf(ROW, field);
      if (end < 0) end = this.text.length;
      this.hash = this.text.slice(this.at, field);
      this.key = this.text.slice(field + 1, end);
      this.at = end + 1;
      return true;
    }
    return this.load() && this.read();
  }

  private load(): boolean {
    if (this.done) return false;
    const args = this.last === undefined ? [this.sync] : [this.sync, this.last];
    const page = (this.last === undefined ? this.first : this.next).get(...args) as {
      text: string | null;
      n: number;
      last: string | null;
      bad: number | null;
    };
    if (page.n < PAGE) this.done = true;
    if (page.n === 0 || page.text === null) return false;
    this.at = 0;
    if (page.bad) {
      this.rows = (this.last === undefined ? this.exactFirst : this.exact).all(...args) as Array<[string, string]>;
      this.text = "";
    } else {
      this.text = page.text;
    }
    this.last = page.last!;
    return true;
  }
}
