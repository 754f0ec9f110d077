import type { SyncSpec } from "../shared/sync-spec.ts";
import { recordIdentity } from "./identity.ts";
import type { DeltaRun, DeltaStrategy } from "./strategy.ts";
import { WarehouseDiff } from "./warehouse/diff.ts";

/**
 * The diff computed in the warehouse (`diff: warehouse`, delta/warehouse/diff.ts): the snapshot
 * lives there, SQLite holds only the run's journal, and commit applies that journal in the
 * warehouse. A dry run uses the same SQL without the journal: nothing is committed anywhere.
 */
export function warehouseDelta(spec: SyncSpec, run: DeltaRun): DeltaStrategy {
  let diff: WarehouseDiff | undefined;
  const inputs = { db: run.db, spec, source: run.source, logger: run.logger };
  return {
    name: "warehouse",
    async prepare() {
      if (run.dryRun) {
        diff = new WarehouseDiff(inputs, run.signal);
        await diff.client.ensureTables();
        return;
      }
      // The warehouse snapshot of a changed target is reset in diff.prepare, so the model's
      // columns are checked first (a typo must not cost a full resync).
      if (run.change === "target") await run.verifyModel?.();
      recordIdentity(run.db, spec.name, run.identity, run.change);
      diff = new WarehouseDiff(inputs, run.signal, run.commitSignal);
      await diff.prepare(run.change);
    },
    plan(staging, counts, onProgress) {
      if (!diff) throw new Error("the warehouse delta was planned before it was prepared");
      return diff.plan(staging, counts, { fullResync: run.fullResync, onProgress, dryRun: run.dryRun });
    },
    commit: async () => diff?.commit(),
  };
}
