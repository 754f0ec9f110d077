import type Database from "better-sqlite3";
import type { StagingArea } from "./staging-area.ts";

/** A row the ordered merge stages: a candidate (added, changed), a removal or a duplicate. */
export type Candidate = [key: string, change: string, hash: string | null, dup: number];

/** What a staged candidate holds before its row is fetched. */
export interface StagedCandidate {
  change: string;
  hash: string | null;
  fields: string | null;
}

const BUFFER = 1024;
const KEY_PAGE = 8192;

/**
 * The ordered merge's statements on the staging table (src/engine/delta/merge-plan.ts): staged
 * rows without fields first, then each candidate's row completed or, unchanged after all,
 * unstaged. Statements are prepared once; the merge calls them per row.
 */
export class StagedCandidates {
  private readonly db: Database.Database;
  private readonly table: string;
  private readonly insert: Database.Statement;
  private readonly write: (rows: Candidate[]) => void;
  private buffer: Candidate[] = [];
  private statements: { find: Database.Statement; update: Database.Statement; remove: Database.Statement } | undefined;

  constructor(staging: StagingArea) {
    this.db = staging.db;
    this.table = staging.table;
    this.insert = this.db.prepare(`INSERT INTO ${this.table} (key, change, hash, dup) VALUES (?, ?, ?, ?)`);
    this.write = this.db.transaction((rows: Candidate[]) => {
      for (const row of rows) this.insert.run(...row);
    });
  }

  /**
   * Stages a row. Rows wait in a small buffer and are written in one transaction per 1,024:
   * most chunks of a second run hold a few changes, and a transaction per chunk costs more
   * than the merge itself. `flush` writes what waits.
   */
  add(row: Candidate): void {
    this.buffer.push(row);
    if (this.buffer.length >= BUFFER) this.flush();
  }

  flush(): void {
    this.write(this.buffer);
    this.buffer = [];
  }

  /**
   * The destination's ids of what is sent again or removed, in one statement: one index lookup
   * per staged key (UPDATE … FROM snapshots made SQLite walk the sync's whole snapshot instead).
   */
  fillRemoteIds(sync: string): void {
    this.db
      .prepare(
        `UPDATE ${this.table} AS t
         SET remote_id = (SELECT s.remote_id FROM snapshots s WHERE s.sync = ? AND s.key = t.key)
         WHERE t.change <> 'invalid'`,
      )
      .run(sync);
  }

  find(key: string): StagedCandidate | undefined {
    return this.prepared().find.get(key) as StagedCandidate | undefined;
  }

  /** Gives a fetched candidate its row. */
  complete(key: string, hash: string, fields: string, keyValues: string, fieldHashes: string | null): void {
    this.prepared().update.run(hash, fields, keyValues, fieldHashes, key);
  }

  /** Unstages a candidate whose row turned out unchanged. */
  discard(key: string): void {
    this.prepared().remove.run(key);
  }

  /** Wraps `fn` in one transaction. */
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return this.db.transaction(fn);
  }

  /** How many candidates still have no row. */
  unfetched(): number {
    return this.db
      .prepare(`SELECT count(*) FROM ${this.table} WHERE change IN ('added', 'changed') AND fields IS NULL`)
      .pluck()
      .get() as number;
  }

  /** The keys of candidates without a row, in key order and in pages (never holds an iterator open). */
  *keys(): Generator<string[]> {
    const page = this.db
      .prepare(
        `SELECT key FROM ${this.table} WHERE key > ? AND change IN ('added', 'changed') AND fields IS NULL
         ORDER BY key LIMIT ${KEY_PAGE}`,
      )
      .pluck();
    let after = "";
    for (;;) {
      const keys = page.all(after) as string[];
      if (keys.length === 0) return;
      after = keys[keys.length - 1]!;
      yield keys;
    }
  }

  private prepared() {
    this.statements ??= {
      find: this.db.prepare(`SELECT change, hash, fields FROM ${this.table} WHERE key = ?`),
      update: this.db.prepare(
        `UPDATE ${this.table} SET hash = ?, fields = ?, key_values = ?, field_hashes = ? WHERE key = ?`,
      ),
      remove: this.db.prepare(`DELETE FROM ${this.table} WHERE key = ?`),
    };
    return this.statements;
  }
}
