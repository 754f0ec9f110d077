import type { SyncSpec } from "../shared/sync-spec.ts";
import type { DeltaRun, DeltaStrategy, OrderedReader } from "./strategy.ts";
import { localDelta } from "./strategy-local.ts";

/**
 * The delta by a streaming merge of the source's ordered keys and hashes with the snapshot
 * (merge-plan.ts): only changed rows are read in full. Any source with an ordered read gets it.
 */
export function orderedMergeDelta(spec: SyncSpec, run: DeltaRun, ordered: OrderedReader): DeltaStrategy {
  return localDelta("ordered-merge", spec, run, ordered);
}
