import type Database from "better-sqlite3";
import { JournalStore } from "../../state/journal-store.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import type { DeltaRun, DeltaStrategy } from "./strategy.ts";
import { leaveWarehouse } from "./warehouse/switch.ts";

/** Whether the sync's snapshot was last kept in the warehouse (warehouse mode's marker in the state). */
export function snapshotInWarehouse(db: Database.Database, sync: string): boolean {
  return new JournalStore(db, sync).location()?.location === "warehouse";
}

/**
 * A local strategy for the first local run after warehouse mode: before anything else it
 * carries the warehouse's snapshot over into SQLite (warehouse/switch.ts), so that mirror
 * mode still deletes what was delivered. Other local runs never reach warehouse code.
 */
export function leavingWarehouse(local: DeltaStrategy, spec: SyncSpec, run: DeltaRun): DeltaStrategy {
  return {
    name: local.name,
    async prepare() {
      await leaveWarehouse(run.db, spec, run.source, run.logger, run.signal);
      await local.prepare();
    },
    plan: (staging, counts, onProgress) => local.plan(staging, counts, onProgress),
    commit: () => local.commit(),
  };
}
