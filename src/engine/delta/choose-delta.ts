import type { SyncSpec } from "../shared/sync-spec.ts";
import type { DeltaCapabilities, DeltaRun, DeltaStrategy } from "./strategy.ts";
import { leavingWarehouse, snapshotInWarehouse } from "./strategy-leave-warehouse.ts";
import { localDelta } from "./strategy-local.ts";
import { warehouseDelta } from "./strategy-warehouse.ts";

/**
 * The run's delta strategy, chosen once before anything is read, from the sync's config and
 * the source's capabilities:
 * - `diff: warehouse` → the diff in the warehouse's SQL;
 * - a source with an ordered read, on a run that compares against the snapshot → the ordered merge;
 * - otherwise lookups (also for a full resync and a changed target, which compare nothing).
 * A run (not a dry run) whose snapshot warehouse mode last kept first carries it over.
 */
export function chooseDelta(spec: SyncSpec, capabilities: DeltaCapabilities, run: DeltaRun): DeltaStrategy {
  if (spec.diff?.mode === "warehouse") return warehouseDelta(spec, run);
  const compares = !run.fullResync && run.change !== "target";
  // The ordered merge streams the source's ordered keys and hashes against the snapshot, reading
  // only changed rows in full; lookups read every row (and compare nothing on these runs).
  const local =
    capabilities.orderedRead && compares
      ? localDelta("ordered-merge", spec, run, capabilities.orderedRead)
      : localDelta("lookup", spec, run);
  return !run.dryRun && snapshotInWarehouse(run.db, spec.name) ? leavingWarehouse(local, spec, run) : local;
}
