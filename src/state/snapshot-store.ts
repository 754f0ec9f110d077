import type Database from "better-sqlite3";

/** What the snapshot says about one record: delivered, with which remote id, and when. */
export interface SnapshotEntry {
  key: string;
  /** False when the record's last attempt failed or is in doubt: the next run sends it again. */
  confirmed: boolean;
  remoteId: string | null;
  deliveredAt: number;
}

/** What the lookup plan needs of a snapshot row. */
export interface SnapshotHash {
  hash: string;
  remoteId: string | null;
}

/**
 * Reads of the snapshot: by key (the console's record lookup, the lookup plan), its size.
 * Writes: batch-commit-store.ts, per batch.
 */
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

  /** Whether the sync has any snapshot row (cheap, unlike counting a large snapshot). */
  exists(sync: string): boolean {
    return this.db.prepare("SELECT EXISTS (SELECT 1 FROM snapshots WHERE sync = ?)").pluck().get(sync) === 1;
  }

  /** How many records the sync's snapshot holds (a walk of its index). */
  count(sync: string): number {
    return this.db.prepare("SELECT count(*) FROM snapshots WHERE sync = ?").pluck().get(sync) as number;
  }

  /** The largest rowid of every sync's snapshot together: a cheap upper bound of its size. */
  largestRowid(): number {
    return (this.db.prepare("SELECT max(rowid) FROM snapshots").pluck().get() as number | null) ?? 0;
  }

  /** A lookup of the sync's hash and remote id by key, prepared once and called per model row. */
  lookup(sync: string): (key: string) => SnapshotHash | undefined {
    const statement = this.db.prepare("SELECT hash, remote_id AS remoteId FROM snapshots WHERE sync = ? AND key = ?");
    return (key) => statement.get(sync, key) as SnapshotHash | undefined;
  }
}
