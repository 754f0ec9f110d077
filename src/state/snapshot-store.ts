import type Database from "better-sqlite3";

/** What the snapshot says about one record: delivered, with which remote id, and when. */
export interface SnapshotEntry {
  key: string;
  /** False when the record's last attempt failed or is in doubt: the next run sends it again. */
  confirmed: boolean;
  remoteId: string | null;
  deliveredAt: number;
}

/** Reads of the snapshot by key (the console's record lookup). Writes: batch-commit-store.ts, per batch. */
export class SnapshotStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  get(sync: string, key: string): SnapshotEntry | undefined {
    const row = this.db
      .prepare(
        "SELECT key, hash, remote_id AS remoteId, delivered_at AS deliveredAt FROM snapshots WHERE sync = ? AND key = ?",
      )
      .get(sync, key) as { key: string; hash: string; remoteId: string | null; deliveredAt: number } | undefined;
    if (!row) return undefined;
    return { key: row.key, confirmed: row.hash !== "", remoteId: row.remoteId, deliveredAt: row.deliveredAt };
  }
}
