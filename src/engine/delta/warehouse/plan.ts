import type Database from "better-sqlite3";
import type { CanonicalRow, CanonicalValue } from "../../../sdk/values.ts";
import type { JournalStore } from "../../../state/journal-store.ts";
import { StageWriter } from "../../../state/stage-writer.ts";
import type { StagingArea } from "../../../state/staging-area.ts";
import type { RunCounts } from "../../shared/counts.ts";
import type { SyncSpec } from "../../shared/sync-spec.ts";
import { shapeRecords } from "../field-delta.ts";
import { countDuplicates, countNullKeys, countPlanned, type InvalidRow, type PlanResult } from "../plan-result.ts";
import type { WarehouseClient } from "./client.ts";
import { COLUMNS } from "./statements.ts";

export interface WarehousePlanOptions {
  fullResync?: boolean | undefined;
  /** Journal the delta for the commit (runs); omitted for dry runs. */
  journal?: JournalStore | undefined;
  onProgress?: () => void;
}

/**
 * The delta computed in the warehouse (capability 1, at scale): the warehouse counts the
 * model, joins it with the committed snapshot and returns only added, changed and removed
 * rows; they land in the same staging table the local planner fills, so the sink, the ledger
 * and the delete guard work unchanged. Duplicate keys: every duplicate whose rows differ from
 * the snapshot shows up in the delta; a cheap count check tells whether a duplicate could
 * hide among unchanged rows, and only then is the model grouped by key.
 */
export async function planInWarehouse(
  db: Database.Database,
  staging: StagingArea,
  spec: SyncSpec,
  client: WarehouseClient,
  counts: RunCounts,
  options: WarehousePlanOptions = {},
): Promise<PlanResult> {
  const statements = await client.planning();
  const [stats] = await client.queryAll("stats", statements.stats());
  const total = Number(stats?.sl_total ?? 0);
  const nullKeys = Number(stats?.sl_nulls ?? 0);
  const snapshotSize = Number(stats?.sl_snapshot ?? 0);
  counts.rowsRead = total;
  options.onProgress?.();

  const writer = new StageWriter(staging);
  const fieldNames = spec.mapping.map(([field]) => field);
  const fieldColumns = spec.mapping.map((_, i) => COLUMNS.field(i));
  const keyColumns = spec.primaryKey.map((_, i) => COLUMNS.keyPart(i));
  const insertMode = spec.mode === "insert";
  let unmatchedRows = 0;
  let removedRows = 0;
  const stageChunk = db.transaction((chunk: CanonicalRow[]) => {
    for (const row of chunk) {
      const key = String(row[COLUMNS.key]);
      const hash = row[COLUMNS.hash] ?? null;
      const remoteId = (row[COLUMNS.remoteId] ?? null) as string | null;
      if (hash === null) {
        removedRows++;
        writer.add([key, "removed", null, null, null, remoteId]);
        continue;
      }
      // No snapshot row: added; in insert mode a row marked "send again" ('') is added too.
      const state = row[COLUMNS.state] ?? null;
      if (state === null) unmatchedRows++;
      const change = state === null || (insertMode && Number(state) === 0) ? "added" : "changed";
      const fields: Record<string, CanonicalValue> = {};
      for (let i = 0; i < fieldNames.length; i++) fields[fieldNames[i]!] = row[fieldColumns[i]!] ?? null;
      const keyValues: Record<string, CanonicalValue> = {};
      for (let i = 0; i < keyColumns.length; i++) keyValues[spec.primaryKey[i]!] = row[keyColumns[i]!] ?? null;
      writer.add([key, change, String(hash), JSON.stringify(fields), JSON.stringify(keyValues), remoteId]);
    }
    writer.flush();
  });
  for await (const chunk of client.query("delta", statements.delta({ fullResync: options.fullResync }))) {
    stageChunk(chunk);
    options.onProgress?.();
  }

  // Model rows that matched a snapshot key, beyond one per key, are duplicates. Those whose
  // rows all differ from the snapshot are marked already; others may hide among unchanged
  // rows: then the model is grouped by key (rare: the count check costs nothing).
  const matchedRows = total - nullKeys - unmatchedRows;
  const matchedKeys = snapshotSize - removedRows;
  if (matchedRows > matchedKeys) {
    const rows = await client.queryAll("duplicates", statements.duplicates());
    db.transaction(() => {
      for (const row of rows) staging.markDuplicate(String(row[COLUMNS.key]), Number(row.sl_rows) - 1);
    })();
  }
  // `nulls: skip` only: sendChangedFieldsOnly is refused in warehouse mode (src/host/field-options.ts).
  shapeRecords(staging, spec, options);
  options.journal?.record(staging);
  return tally(staging, spec, counts, { total, nullKeys, snapshotSize });
}

/** Only the delta was staged: unchanged rows are what the model holds beyond it. */
function tally(
  staging: StagingArea,
  spec: SyncSpec,
  counts: RunCounts,
  input: { total: number; nullKeys: number; snapshotSize: number },
): PlanResult {
  const invalidSamples: InvalidRow[] = [];
  countNullKeys(counts, invalidSamples, spec.primaryKey, input.nullKeys);
  countDuplicates(staging, counts, invalidSamples);
  countPlanned(staging, counts);
  counts.unchanged = input.total - counts.invalid - counts.planned.added - counts.planned.changed;
  return { invalidSamples, snapshotSize: input.snapshotSize };
}
