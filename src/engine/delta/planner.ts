import type Database from "better-sqlite3";
import { keyOf } from "../../sdk/key.ts";
import type { Logger } from "../../sdk/logger.ts";
import type { OrderedRead, OrderedReadRequest } from "../../sdk/ordered-read.ts";
import type { CanonicalRow } from "../../sdk/values.ts";
import { SnapshotStore } from "../../state/snapshot-store.ts";
import type { StagingArea } from "../../state/staging-area.ts";
import type { RunCounts } from "../shared/counts.ts";
import { columnsOf, type SyncSpec } from "../shared/sync-spec.ts";
import { shapeRecords } from "./field-delta.ts";
import { hashFields } from "./hash.ts";
import { mergePlan } from "./merge-plan.ts";
import { countDuplicates, countNullKeys, countPlanned, type InvalidRow, type PlanResult } from "./plan-result.ts";
import { fieldHashesOf, fieldsInJsonOrder, fieldsOf, keyValuesJson } from "./record.ts";
import { OrderViolation } from "./snapshot-cursor.ts";

export type { InvalidRow, PlanResult } from "./plan-result.ts";

export interface PlanOptions {
  /** Ignore the snapshot's hashes: every model row is sent again. */
  fullResync?: boolean;
  /**
   * Plan as if the snapshot were empty: every row is added, nothing removed. For a sync whose
   * target changed, whose snapshot describes records elsewhere and is reset only once this
   * read has succeeded.
   */
  ignoreSnapshot?: boolean;
  onProgress?: (rowsRead: number) => void;
  /**
   * The source's ordered read (SourceDefinition.readOrdered), when it has one: the delta is
   * then a streaming merge that builds only the rows that changed (merge-plan.ts).
   */
  ordered?: (request: OrderedReadRequest) => Promise<OrderedRead | undefined>;
  logger?: Logger;
}

/**
 * The delta (capability 1): every model row is classified against the snapshot as added,
 * changed or unchanged; snapshot keys the model no longer has are removed. A record whose
 * last delivery failed has no snapshot row (never delivered) or an empty hash, so it is
 * always part of the delta, with this run's values. Duplicate and null keys are invalid.
 */
export async function plan(
  db: Database.Database,
  staging: StagingArea,
  spec: SyncSpec,
  rows: AsyncIterable<CanonicalRow[]>,
  counts: RunCounts,
  options: PlanOptions = {},
): Promise<PlanResult> {
  const invalidSamples: InvalidRow[] = [];
  const snapshots = new SnapshotStore(db);
  // Counting a large snapshot costs a walk of its index (0.5 s warm, 2.9 s cold at 10M rows):
  // the merge counts it as it goes, so only the lookup path counts it here.
  const hasSnapshot = !options.ignoreSnapshot && snapshots.exists(spec.name);
  let snapshotSize = 0;
  const progress = () => options.onProgress?.(counts.rowsRead);

  let merged = false;
  if (options.ordered && hasSnapshot && !options.fullResync) {
    const read = await options.ordered({
      primaryKey: spec.primaryKey,
      fields: fieldsInJsonOrder(spec),
      columns: columnsOf(spec),
    });
    if (read) {
      try {
        snapshotSize = await mergePlan(db, staging, spec, read, counts, invalidSamples, progress);
        merged = true;
      } catch (error) {
        if (!(error instanceof OrderViolation)) throw error;
        options.logger?.warn(
          { reason: error.message },
          "the ordered read did not line up: computing the delta by lookups instead",
        );
        staging.clear();
        Object.assign(counts, { rowsRead: 0, invalid: 0, unchanged: 0 });
        counts.planned = { added: 0, changed: 0, removed: 0 };
        invalidSamples.length = 0;
      } finally {
        await read.close();
      }
    }
  }
  if (!merged) {
    if (hasSnapshot) {
      snapshotSize = snapshots.count(spec.name);
    }
    await lookupPlan(db, staging, spec, rows, counts, invalidSamples, !hasSnapshot, options);
  }

  countDuplicates(staging, counts, invalidSamples);
  // Removed: what the snapshot holds that the model no longer has.
  if (!merged && hasSnapshot) staging.stageRemoved(spec.name);
  shapeRecords(staging, spec, options);
  // The lookup path stages unchanged rows; the merge counted its own (and stages none).
  counts.unchanged += countPlanned(staging, counts);
  return { invalidSamples, snapshotSize };
}

/**
 * The delta by one snapshot lookup per row, every row staged (the anti-join then finds the
 * removed keys). Used for sources without an ordered read, and for a first run, where the
 * snapshot is empty and no lookup is made.
 */
async function lookupPlan(
  db: Database.Database,
  staging: StagingArea,
  spec: SyncSpec,
  rows: AsyncIterable<CanonicalRow[]>,
  counts: RunCounts,
  invalidSamples: InvalidRow[],
  emptySnapshot: boolean,
  options: PlanOptions,
): Promise<void> {
  const lookup = new SnapshotStore(db).lookup(spec.name);
  const insertMode = spec.mode === "insert";
  const pk = spec.primaryKey;

  const stageChunk = db.transaction((chunk: CanonicalRow[]) => {
    for (const row of chunk) {
      const key = keyOf(row, pk);
      if (key === undefined) {
        countNullKeys(counts, invalidSamples, pk);
        continue;
      }
      const fields = fieldsOf(row, spec);
      const json = JSON.stringify(fields);
      const hash = hashFields(json);
      const previous = emptySnapshot ? undefined : lookup(key);
      let change: "added" | "changed" | "unchanged";
      if (!previous) change = "added";
      else if (insertMode) change = previous.hash === "" ? "added" : "unchanged";
      else if (previous.hash === hash && !options.fullResync) change = "unchanged";
      else change = "changed";
      if (change === "unchanged") {
        staging.stage(key, change, hash, null, null, null, null);
      } else {
        const remoteId = previous?.remoteId ?? null;
        staging.stage(key, change, hash, json, keyValuesJson(row, spec), remoteId, fieldHashesOf(spec, fields));
      }
    }
  });

  for await (const chunk of rows) {
    stageChunk(chunk);
    counts.rowsRead += chunk.length;
    options.onProgress?.(counts.rowsRead);
  }
}
