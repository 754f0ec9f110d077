import type Database from "better-sqlite3";

/**
 * In-doubt markers per batch (schema.ts, `in_doubt_batches`): before a batch is sent, the keys
 * it adds are written as one row, not as one in-doubt snapshot row each; the batch's commit
 * writes each key's final snapshot row and deletes the marker in one transaction.
 *
 * Invariant: a marker that outlives its commit (the process died between the send and the
 * commit) holds exactly the keys the per-record markers would have left in doubt. `expandInDoubtBatches`
 * turns it into those in-doubt snapshot rows (empty hash), so every reader of the snapshot sees
 * what it saw when each key was marked on its own. A run expands its sync's markers when it
 * starts (no batch of that sync is in flight then) and opening the state file expands them all.
 */
export class InDoubtBatches {
  private readonly sync: string;
  private readonly statements: ReturnType<typeof prepare>;

  constructor(db: Database.Database, sync: string) {
    this.sync = sync;
    this.statements = prepare(db);
  }

  /** Marks the keys in doubt; returns the marker's id, for `release`. Nothing is written without keys. */
  mark(textKeys: readonly string[], jsonKeys: readonly string[], now: number): number | undefined {
    if (textKeys.length === 0 && jsonKeys.length === 0) return undefined;
    const { lastInsertRowid } = this.statements.insert.run(
      this.sync,
      now,
      JSON.stringify(textKeys),
      JSON.stringify(jsonKeys),
    );
    return Number(lastInsertRowid);
  }

  /** Deletes a marker: its keys' snapshot rows are written in the same transaction. */
  release(id: number): void {
    this.statements.delete.run(id);
  }
}

/**
 * Expands the markers left behind into in-doubt snapshot rows, in one transaction: one sync's
 * (when its run starts) or every sync's (when the state file is opened). Nothing to do costs one
 * read of a table that holds only the batches in flight: this runs at every start.
 */
export function expandInDoubtBatches(db: Database.Database, sync?: string): void {
  const where = sync === undefined ? "" : "WHERE sync = ?";
  const params = sync === undefined ? [] : [sync];
  if (db.prepare(`SELECT 1 FROM in_doubt_batches ${where} LIMIT 1`).get(...params) === undefined) return;
  db.transaction(() => {
    db.prepare(expandSql("text_keys", 0, where)).run(...params);
    db.prepare(expandSql("json_keys", 1, where)).run(...params);
    db.prepare(`DELETE FROM in_doubt_batches ${where}`).run(...params);
  })();
}

/** In-doubt snapshot rows from the markers' `column` (key_json `keyJson`), of the markers `where` selects. */
function expandSql(column: "text_keys" | "json_keys", keyJson: 0 | 1, where: string): string {
  return `INSERT OR IGNORE INTO snapshots (sync, key, hash, remote_id, delivered_at, key_json)
    SELECT b.sync, j.value, '', NULL, b.marked_at, ${keyJson}
    FROM (SELECT * FROM in_doubt_batches ${where}) b, json_each(b.${column}) j`;
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare("INSERT INTO in_doubt_batches (sync, marked_at, text_keys, json_keys) VALUES (?, ?, ?, ?)"),
    delete: db.prepare("DELETE FROM in_doubt_batches WHERE id = ?"),
  };
}
