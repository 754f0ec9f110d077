import type Database from "better-sqlite3";
import type { Change } from "./run-counts.ts";

export type StagedChange = Change | "unchanged" | "invalid";

export interface StagedRecord {
  seq: number;
  key: string;
  change: Change;
  /** The canonical JSON of the mapped fields (what was hashed), null for removals. */
  fields: string | null;
  keyValues: string | null;
  hash: string | null;
  remoteId: string | null;
  /** sendChangedFieldsOnly: the field hashes to keep once delivered (src/engine/delta/field-hashes.ts). */
  fieldHashes: string | null;
  /** …and those to keep if the delivery fails or stays in doubt. */
  failedHashes: string | null;
  /** A changed record's changed fields (JSON array), when the field hashes tell; null: all of them. */
  changedFields: string | null;
}

const COLUMNS = `seq, key, change, fields, key_values AS keyValues, hash, remote_id AS remoteId,
  field_hashes AS fieldHashes, failed_hashes AS failedHashes, changed_fields AS changedFields`;

/**
 * A run's working set: one row per model key (and per removed key), kept in a TEMP table of
 * the state connection so memory stays flat whatever the model's size. It disappears with
 * the connection, so a crashed run leaves nothing behind. Every statement on it is here or in
 * another store of src/state; statements run per row are prepared once per run.
 * A key staged twice becomes invalid and `dup` counts its extra rows.
 */
export class StagingArea {
  /** The table's name, for the other stores of src/state only. */
  readonly table: string;
  readonly db: Database.Database;
  private insertRow: Database.Statement | undefined;

  constructor(db: Database.Database, runId: string) {
    this.db = db;
    this.table = `temp."stage_${runId.replace(/[^A-Za-z0-9_]/g, "_")}"`;
    db.exec(`CREATE TABLE ${this.table} (
      seq INTEGER PRIMARY KEY,
      key TEXT NOT NULL UNIQUE,
      change TEXT NOT NULL,
      hash TEXT,
      fields TEXT,
      key_values TEXT,
      remote_id TEXT,
      field_hashes TEXT,
      failed_hashes TEXT,
      changed_fields TEXT,
      dup INTEGER NOT NULL DEFAULT 0
    )`);
  }

  /** Stages one model row (the lookup plan); a key staged before becomes invalid. */
  stage(
    key: string,
    change: StagedChange,
    hash: string | null,
    fields: string | null,
    keyValues: string | null,
    remoteId: string | null,
    fieldHashes: string | null,
  ): void {
    this.insertRow ??= this.db.prepare(
      `INSERT INTO ${this.table} (key, change, hash, fields, key_values, remote_id, field_hashes)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET dup = dup + 1, change = 'invalid', fields = NULL, key_values = NULL`,
    );
    this.insertRow.run(key, change, hash, fields, keyValues, remoteId, fieldHashes);
  }

  /** Marks a key invalid, with `dup` extra rows (the warehouse's grouped duplicates). */
  markDuplicate(key: string, dup: number): void {
    this.db
      .prepare(
        `INSERT INTO ${this.table} (key, change, dup) VALUES (?, 'invalid', ?)
         ON CONFLICT(key) DO UPDATE SET change = 'invalid', dup = excluded.dup, fields = NULL, key_values = NULL`,
      )
      .run(key, dup);
  }

  /** Stages, as removed, every snapshot key of the sync that is not staged (the model no longer has it). */
  stageRemoved(sync: string): void {
    this.db
      .prepare(
        `INSERT INTO ${this.table} (key, change, remote_id, key_values)
         SELECT s.key, 'removed', s.remote_id, NULL FROM snapshots s
         WHERE s.sync = ? AND NOT EXISTS (SELECT 1 FROM ${this.table} t WHERE t.key = s.key)`,
      )
      .run(sync);
  }

  /** Empties the table (a plan that starts over). */
  clear(): void {
    this.db.prepare(`DELETE FROM ${this.table}`).run();
  }

  /** The keys staged twice or more, in staging order, with their extra rows. */
  duplicates(): Array<{ key: string; dup: number }> {
    return this.db.prepare(`SELECT key, dup FROM ${this.table} WHERE change = 'invalid' ORDER BY seq`).all() as Array<{
      key: string;
      dup: number;
    }>;
  }

  /** How many rows each kind of change has (kinds without rows are absent). */
  tally(): Partial<Record<StagedChange, number>> {
    const rows = this.db.prepare(`SELECT change, count(*) AS n FROM ${this.table} GROUP BY change`).all() as Array<{
      change: StagedChange;
      n: number;
    }>;
    return Object.fromEntries(rows.map(({ change, n }) => [change, n]));
  }

  /**
   * Reads the delta in pages, in key order (never holds an iterator open). Key order, not the
   * order rows were staged: the snapshot then receives new keys in its own index order, so its
   * rows and its primary key index grow at their ends, and later runs read it in key order
   * (the ordered merge) with less random access.
   */
  *pages(changes: readonly Change[], pageSize: number): Generator<StagedRecord[]> {
    if (changes.length === 0) return;
    const statement = this.db.prepare(
      `SELECT ${COLUMNS} FROM ${this.table}
       WHERE key > ? AND change IN (${changes.map(() => "?").join(",")}) ORDER BY key LIMIT ?`,
    );
    let after = "";
    for (;;) {
      const page = statement.all(after, ...changes, pageSize) as StagedRecord[];
      if (page.length === 0) return;
      after = page[page.length - 1]!.key;
      yield page;
    }
  }

  sample(change: Change, limit: number): StagedRecord[] {
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM ${this.table} WHERE change = ? ORDER BY seq LIMIT ?`)
      .all(change, limit) as StagedRecord[];
  }

  /** Outside mirror mode, a record gone from the model is forgotten (a reused key is added again). */
  forgetRemoved(sync: string): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM snapshots WHERE sync = ? AND key IN (SELECT key FROM ${this.table} WHERE change = 'removed')`,
        )
        .run(sync);
      this.db.prepare(`DELETE FROM ${this.table} WHERE change = 'removed'`).run();
    })();
  }

  /**
   * Ledger entries that are not part of this run's delta are settled: the record left the model
   * before it was ever delivered, or the destination already holds its current value.
   */
  resolveObsoleteFailures(sync: string): void {
    this.db
      .prepare(
        `DELETE FROM ledger WHERE sync = ? AND key NOT IN
           (SELECT key FROM ${this.table} WHERE change IN ('added', 'changed', 'removed', 'invalid'))`,
      )
      .run(sync);
  }

  drop(): void {
    if (this.db.open) this.db.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }
}
