import type { OrderedRead } from "../../sdk/ordered-read.ts";
import { LedgerStore } from "../../state/ledger-store.ts";
import { SnapshotStore } from "../../state/snapshot-store.ts";
import { sourceContext } from "../shared/source-handle.ts";
import { columnsOf, operationFor, type SyncSpec } from "../shared/sync-spec.ts";
import { FirstSyncStream, type StreamableRead } from "./first-sync-stream.ts";
import { recordIdentity } from "./identity.ts";
import type { DeltaRun, DeltaStrategy, OrderedReader } from "./strategy.ts";
import { localDelta } from "./strategy-local.ts";

/**
 * Whether a run may send the model as it streams by: a run (not a dry run) whose snapshot and
 * ledger for the sync are empty, so every valid row is added and nothing is removed or
 * retried, in a mode that sends added records.
 */
export function isFirstSync(spec: SyncSpec, run: DeltaRun): boolean {
  if (run.dryRun || run.change === "target" || !operationFor(spec.mode, "added")) return false;
  return !new SnapshotStore(run.db).exists(spec.name) && !new LedgerStore(run.db).exists(spec.name);
}

/**
 * A first sync (capability 1 with nothing to compare): the source's ordered read gives the
 * keys in order, so duplicate and null keys are known after one pass over the keys alone;
 * then the model's rows are read once more, in the same transaction, and go to the sink as
 * they stream by (`pages`) — no row is staged. Only duplicates are staged (as invalid), so
 * the counts, the samples and the guard read as on any run. When the source cannot read this
 * model in order, or has no `allRows`, the run takes the lookup path instead, unchanged.
 */
export function firstSyncDelta(spec: SyncSpec, run: DeltaRun, ordered: OrderedReader): DeltaStrategy {
  const ctx = sourceContext(run.source, run.logger, run.signal);
  let stream: FirstSyncStream | undefined;
  let fallback: DeltaStrategy | undefined;
  const readWhole: DeltaStrategy["plan"] = (staging, counts, onProgress) => {
    fallback = localDelta("lookup", spec, run);
    return fallback.plan(staging, counts, onProgress);
  };
  return {
    name: "first-sync",
    prepare: async () => {},
    async plan(staging, counts, onProgress) {
      const read = await ordered(ctx, spec.model, {
        primaryKey: spec.primaryKey,
        fields: [],
        columns: columnsOf(spec),
        allRows: true,
      });
      if (!read || !streamable(read)) {
        await read?.close();
        return readWhole(staging, counts, onProgress);
      }
      stream = new FirstSyncStream(spec, read, run.logger);
      const planned = await stream.plan(staging, counts, run.traceRead, onProgress);
      if (!planned) return readWhole(staging, counts, onProgress);
      recordIdentity(run.db, spec.name, run.identity, run.change);
      return planned;
    },
    pages(changes) {
      return stream?.planned && changes.includes("added") ? stream.pages() : undefined;
    },
    async commit() {
      await stream?.close();
      return fallback?.commit();
    },
  };
}

function streamable(read: OrderedRead): read is StreamableRead {
  return typeof read.allRows === "function";
}
