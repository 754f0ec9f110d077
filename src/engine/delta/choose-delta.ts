import type { SyncSpec } from "../shared/sync-spec.ts";
import type { DeltaCapabilities, DeltaRun, DeltaStrategy } from "./strategy.ts";
import { firstSyncDelta, isFirstSync } from "./strategy-first-sync.ts";
import { leavingWarehouse, snapshotInWarehouse } from "./strategy-leave-warehouse.ts";
import { localDelta } from "./strategy-local.ts";
import { warehouseDelta } from "./strategy-warehouse.ts";

/**
 * The run's delta strategy, chosen once before anything is read, from the sync's config and
 * the source's capabilities:
 * - `diff: warehouse` → the diff in the warehouse's SQL;
 * - a source with an ordered read, on a first sync (nothing in the snapshot or the ledger) →
 *   the model streamed to the sink, only its duplicate keys staged;
 * - a source with an ordered read, on a run that compares against the snapshot → the ordered merge;
 * - otherwise lookups (also for a full resync and a changed target, which compare nothing).
 * A run (not a dry run) whose snapshot warehouse mode last kept first carries it over.
 */
export function chooseDelta(spec: SyncSpec, capabilities: DeltaCapabilities, run: DeltaRun): DeltaStrategy {
  if (spec.diff?.mode === "warehouse") return warehouseDelta(spec, run);
  const compares = !run.fullResync && run.change !== "target";
  const leaving = !run.dryRun && snapshotInWarehouse(run.db, spec.name);
  const ordered = compares ? capabilities.orderedRead : undefined;
  // The local snapshot of a sync leaving warehouse mode is empty until `prepare` brings it back.
  if (ordered && !leaving && isFirstSync(spec, run)) return firstSyncDelta(spec, run, ordered);
  // The ordered merge streams the source's ordered keys and hashes against the snapshot, reading
  // only changed rows in full; lookups read every row (and compare nothing on these runs).
  const local = ordered ? localDelta("ordered-merge", spec, run, ordered) : localDelta("lookup", spec, run);
  return leaving ? leavingWarehouse(local, spec, run) : local;
}
