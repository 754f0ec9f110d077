import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import type { SyncSpec } from "./sync-spec.ts";

export interface SyncIdentity {
  /** Where records go and how they are keyed: destination, its type, object, primary key. */
  target: string;
  /** What is read and how it is mapped. */
  model: string;
}

export function identityOf(spec: SyncSpec, destination: { name: string; type: string }): SyncIdentity {
  const digest = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 32);
  return {
    target: digest({
      destination: destination.name,
      type: destination.type,
      object: spec.object,
      key: spec.primaryKey,
    }),
    model: digest({ model: spec.model, mapping: spec.mapping }),
  };
}

export type IdentityChange = "new" | "same" | "model" | "target";

/**
 * Compares a sync's identity with the one its snapshot was built for, and records the new one.
 * - target changed (another destination, object or primary key): the snapshot describes
 *   records somewhere else, so it and the ledger are reset — a full resync.
 * - model or mapping changed: nothing to reset; the hashes cover the mapped fields, so every
 *   record whose mapped values differ is sent again, and removed keys are handled as usual.
 */
export function reconcileIdentity(db: Database.Database, sync: string, identity: SyncIdentity): IdentityChange {
  return db.transaction((): IdentityChange => {
    const stored = db
      .prepare("SELECT target_identity AS target, model_identity AS model FROM sync_state WHERE sync = ?")
      .get(sync) as SyncIdentity | undefined;
    db.prepare(
      `INSERT INTO sync_state (sync, target_identity, model_identity, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(sync) DO UPDATE SET target_identity = excluded.target_identity,
         model_identity = excluded.model_identity, updated_at = excluded.updated_at`,
    ).run(sync, identity.target, identity.model, Date.now());
    if (!stored) {
      // State from before identities were kept, or a new sync: keep whatever snapshot exists.
      return "new";
    }
    if (stored.target !== identity.target) {
      db.prepare("DELETE FROM snapshots WHERE sync = ?").run(sync);
      db.prepare("DELETE FROM ledger WHERE sync = ?").run(sync);
      return "target";
    }
    return stored.model === identity.model ? "same" : "model";
  })();
}
