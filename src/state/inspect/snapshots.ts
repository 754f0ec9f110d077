import type Database from "better-sqlite3";
import { rowCount } from "./row-count.ts";

/** A snapshot row as stored (src/state/schema.ts `snapshots`). */
export interface StoredSnapshot {
  sync: string;
  key: string;
  hash: string;
  remote_id: string | null;
  delivered_at: number;
  field_hashes: string | null;
  key_json: number | null;
}

/** A row to plant: what is not given is what a plain delivery leaves (no remote id, at time 0). */
export type SnapshotSeed = Pick<StoredSnapshot, "sync" | "key" | "hash"> & Partial<StoredSnapshot>;

/** Every snapshot row, or one sync's, ordered by sync then key. */
export function snapshotRows(db: Database.Database, sync?: string): StoredSnapshot[] {
  const statement = db.prepare(
    `SELECT sync, key, hash, remote_id, delivered_at, field_hashes, key_json FROM snapshots
     ${sync === undefined ? "" : "WHERE sync = ?"} ORDER BY sync, key`,
  );
  return (sync === undefined ? statement.all() : statement.all(sync)) as StoredSnapshot[];
}

/** How many records the snapshot holds, for every sync or one. */
export function snapshotCount(db: Database.Database, sync?: string): number {
  return rowCount(db, "snapshots", sync);
}

/** The mean length of one sync's stored field hashes (rows without them not counted), or 0. */
export function meanFieldHashLength(db: Database.Database, sync: string): number {
  return db
    .prepare("SELECT coalesce(avg(length(field_hashes)), 0) FROM snapshots WHERE sync = ?")
    .pluck()
    .get(sync) as number;
}

/**
 * Plants snapshot rows in one transaction. A row whose (sync, key) is already there is refused
 * (the transaction fails), or kept with `keepExisting` (the first planted wins).
 */
export function seedSnapshots(
  db: Database.Database,
  rows: Iterable<SnapshotSeed>,
  options: { keepExisting?: boolean } = {},
): void {
  const insert = db.prepare(
    `INSERT ${options.keepExisting ? "OR IGNORE " : ""}INTO snapshots
       (sync, key, hash, remote_id, delivered_at, field_hashes, key_json) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const row of rows) {
      insert.run(
        row.sync,
        row.key,
        row.hash,
        row.remote_id ?? null,
        row.delivered_at ?? 0,
        row.field_hashes ?? null,
        row.key_json ?? null,
      );
    }
  })();
}
