import { sourceContext } from "../shared/source-handle.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { columnsOf } from "../shared/sync-spec.ts";
import { recordIdentity } from "./identity.ts";
import { type PlanOptions, plan } from "./planner.ts";
import type { DeltaName, DeltaRun, DeltaStrategy, OrderedReader } from "./strategy.ts";

/**
 * The delta against the local (SQLite) snapshot, by planner.ts: by lookups, or by the ordered
 * merge when `ordered` is given (which falls back to lookups by itself when the snapshot is
 * empty, the source declines the model, or the two sides do not line up). The identity is
 * recorded only once the model has been read with it: a typo in primaryKey must not cost a
 * full resync once fixed.
 */
export function localDelta(name: DeltaName, spec: SyncSpec, run: DeltaRun, ordered?: OrderedReader): DeltaStrategy {
  return {
    name,
    prepare: async () => {},
    async plan(staging, counts, onProgress) {
      const { db, source, logger } = run;
      const ctx = sourceContext(source, logger, run.signal);
      const rows = source.plugin.read(ctx, spec.model, { columns: columnsOf(spec) });
      const result = await plan(db, staging, spec, run.traceRead?.(rows) ?? rows, counts, {
        fullResync: run.fullResync,
        // A changed target starts over; the snapshot is reset by recordIdentity below.
        ignoreSnapshot: run.change === "target",
        onProgress,
        logger,
        ordered: ordered && tracedOrdered(run, (request) => ordered(ctx, spec.model, request)),
      });
      if (!run.dryRun) recordIdentity(db, spec.name, run.identity, run.change);
      return result;
    },
    commit: async () => undefined,
  };
}

/** The ordered read with its key stream traced like the plain read. */
function tracedOrdered(run: DeltaRun, read: NonNullable<PlanOptions["ordered"]>): PlanOptions["ordered"] {
  const trace = run.traceRead;
  if (!trace) return read;
  return async (request) => {
    const opened = await read(request);
    if (!opened) return opened;
    return { chunks: trace(opened.chunks), rows: (keys) => opened.rows(keys), close: () => opened.close() };
  };
}
