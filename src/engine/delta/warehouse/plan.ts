import type Database from "better-sqlite3";
import { DEFAULTS } from "../../../config/defaults.ts";
import type { CanonicalRow, CanonicalValue } from "../../../sdk/values.ts";
import type { RunCounts } from "../../run/counts.ts";
import type { SyncSpec } from "../../run/sync-spec.ts";
import { shapeRecords } from "../field-delta.ts";
import type { InvalidRow, PlanResult } from "../planner.ts";
import type { Staging } from "../staging.ts";
import type { WarehouseClient } from "./client.ts";
import type { LocalJournal } from "./journal.ts";
import { StageWriter } from "./stage-writer.ts";
import { COLUMNS } from "./statements.ts";

export interface WarehousePlanOptions {
  fullResync?: boolean | undefined;
  /** Journal the delta for the commit (runs); omitted for dry runs. */
  journal?: LocalJournal | undefined;
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
  staging: Staging,
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

  const writer = new StageWriter(db, staging.table);
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
    const markInvalid = db.prepare(
      `INSERT INTO ${staging.table} (key, change, dup) VALUES (?, 'invalid', ?)
       ON CONFLICT(key) DO UPDATE SET change = 'invalid', dup = excluded.dup, fields = NULL, key_values = NULL`,
    );
    const rows = await client.queryAll("duplicates", statements.duplicates());
    db.transaction(() => {
      for (const row of rows) markInvalid.run(String(row[COLUMNS.key]), Number(row.sl_rows) - 1);
    })();
  }
  // `nulls: skip` only: sendChangedFieldsOnly is refused in warehouse mode (src/host/field-options.ts).
  shapeRecords(db, staging, spec, options);
  options.journal?.record(staging.table);
  return tally(db, staging, spec, counts, { total, nullKeys, snapshotSize });
}

function tally(
  db: Database.Database,
  staging: Staging,
  spec: SyncSpec,
  counts: RunCounts,
  input: { total: number; nullKeys: number; snapshotSize: number },
): PlanResult {
  const invalidSamples: InvalidRow[] = [];
  for (let i = 0; i < Math.min(input.nullKeys, DEFAULTS.invalidSamples); i++) {
    invalidSamples.push({ key: null, reason: `null or empty primary key (${spec.primaryKey.join(", ")})` });
  }
  counts.invalid = input.nullKeys;
  const duplicates = db
    .prepare(`SELECT key, dup FROM ${staging.table} WHERE change = 'invalid' ORDER BY seq`)
    .all() as Array<{ key: string; dup: number }>;
  for (const { key, dup } of duplicates) {
    counts.invalid += dup + 1;
    if (invalidSamples.length < DEFAULTS.invalidSamples) {
      invalidSamples.push({ key, reason: `duplicate primary key (${dup + 1} rows)` });
    }
  }
  const tallied = db.prepare(`SELECT change, count(*) AS n FROM ${staging.table} GROUP BY change`).all() as Array<{
    change: string;
    n: number;
  }>;
  for (const { change, n } of tallied) {
    if (change === "added" || change === "changed" || change === "removed") counts.planned[change] = n;
  }
  counts.unchanged = input.total - counts.invalid - counts.planned.added - counts.planned.changed;
  return { invalidSamples, snapshotSize: input.snapshotSize };
}
