import type { SyncSpec } from "../shared/sync-spec.ts";
import type { DeltaCapabilities, DeltaRun, DeltaStrategy } from "./strategy.ts";
import { leavingWarehouse, snapshotInWarehouse } from "./strategy-leave-warehouse.ts";
import { lookupDelta } from "./strategy-lookup.ts";
import { orderedMergeDelta } from "./strategy-ordered-merge.ts";
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
  const local =
    capabilities.orderedRead && compares
      ? orderedMergeDelta(spec, run, capabilities.orderedRead)
      : lookupDelta(spec, run);
  return !run.dryRun && snapshotInWarehouse(run.db, spec.name) ? leavingWarehouse(local, spec, run) : local;
}
