import type Database from "better-sqlite3";

/** A sync's identity, as two digests (src/engine/delta/identity.ts computes and compares them). */
export interface SyncIdentity {
  /** Where records go and how they are keyed: destination, its type, object, primary key. */
  target: string;
  /** What is read and how it is mapped. */
  model: string;
}

/** The identity each sync's snapshot was built for (`sync_state`). */
export class IdentityStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  get(sync: string): SyncIdentity | undefined {
    return this.db
      .prepare("SELECT target_identity AS target, model_identity AS model FROM sync_state WHERE sync = ?")
      .get(sync) as SyncIdentity | undefined;
  }

  /** Records the identity, in one transaction with `reset`: the sync's snapshot and ledger are emptied first. */
  record(sync: string, identity: SyncIdentity, options: { reset: boolean }): void {
    this.db.transaction(() => {
      if (options.reset) {
        this.db.prepare("DELETE FROM snapshots WHERE sync = ?").run(sync);
        this.db.prepare("DELETE FROM ledger WHERE sync = ?").run(sync);
      }
      this.db
        .prepare(
          `INSERT INTO sync_state (sync, target_identity, model_identity, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(sync) DO UPDATE SET target_identity = excluded.target_identity,
             model_identity = excluded.model_identity, updated_at = excluded.updated_at`,
        )
        .run(sync, identity.target, identity.model, Date.now());
    })();
  }
}
