import type { SyncSpec } from "../shared/sync-spec.ts";
import type { DeltaRun, DeltaStrategy } from "./strategy.ts";
import { localDelta } from "./strategy-local.ts";

/**
 * The delta by one snapshot lookup per model row (planner.ts): for sources without an ordered
 * read, and for runs that compare nothing (a full resync, a changed target).
 */
export function lookupDelta(spec: SyncSpec, run: DeltaRun): DeltaStrategy {
  return localDelta("lookup", spec, run);
}
