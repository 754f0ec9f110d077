import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { IdentityStore, type SyncIdentity } from "../../state/identity-store.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";

export type { SyncIdentity } from "../../state/identity-store.ts";

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
  const stored = new IdentityStore(db).get(sync);
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
  new IdentityStore(db).record(sync, identity, { reset: change === "target" });
}
