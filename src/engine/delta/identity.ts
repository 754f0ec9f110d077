import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import type { SyncSpec } from "../run/sync-spec.ts";

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
 * How a sync's identity differs from the one its snapshot was built for (nothing is written):
 * - target changed (another destination, object or primary key): the snapshot describes
 *   records somewhere else, so once the model has been read with the new identity
 *   (`recordIdentity`) it and the ledger are reset — a full resync;
 * - model or mapping changed: nothing to reset; the hashes cover the mapped fields, so every
 *   record whose mapped values differ is sent again, and removed keys are handled as usual.
 */
export function compareIdentity(db: Database.Database, sync: string, identity: SyncIdentity): IdentityChange {
  const stored = db
    .prepare("SELECT target_identity AS target, model_identity AS model FROM sync_state WHERE sync = ?")
    .get(sync) as SyncIdentity | undefined;
  // No identity: state from before identities were kept, or a new sync; keep whatever snapshot exists.
  if (!stored) return "new";
  if (stored.target !== identity.target) return "target";
  return stored.model === identity.model ? "same" : "model";
}

/**
 * Records the identity the model was just read with, resetting the snapshot and the ledger
 * when the target changed. Called only after a successful read, so a run that fails on a typo
 * (a primary key the model lacks) leaves the snapshot alone: fixing the typo costs nothing.
 */
export function recordIdentity(
  db: Database.Database,
  sync: string,
  identity: SyncIdentity,
  change: IdentityChange,
): void {
  db.transaction(() => {
    if (change === "target") {
      db.prepare("DELETE FROM snapshots WHERE sync = ?").run(sync);
      db.prepare("DELETE FROM ledger WHERE sync = ?").run(sync);
    }
    db.prepare(
      `INSERT INTO sync_state (sync, target_identity, model_identity, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(sync) DO UPDATE SET target_identity = excluded.target_identity,
         model_identity = excluded.model_identity, updated_at = excluded.updated_at`,
    ).run(sync, identity.target, identity.model, Date.now());
  })();
}
