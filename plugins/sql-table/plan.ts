import { ConfigurationError, type DestinationRecord, type WriteBatch } from "syncline/sdk";
import { keyColumns, type TableSyncOptions } from "./options.ts";
import { parseRowId, valueText } from "./values.ts";

/** What a table destination knows of its table. */
export interface TableShape {
  columns: ReadonlyMap<string, unknown>;
  primaryKey: readonly string[];
}

export interface WritePlan {
  /** The columns written, key columns included (for deletes: the key columns only). */
  columns: string[];
  key: string[];
}

/**
 * Which columns a batch writes and which it matches on, checked against the table: a
 * column the mapping names but the table lacks is a configuration error naming it.
 */
export function planWrite(table: TableShape, batch: WriteBatch, options: TableSyncOptions): WritePlan {
  const key = keyColumns(options.key);
  if (key.length === 0) key.push(...table.primaryKey);
  if (key.length === 0) {
    throw new ConfigurationError(`table "${batch.object}" has no primary key to match records on`, {
      code: "key_missing",
      fix: "set the sync's `options.key` to the column(s) of a unique index, or add a primary key to the table",
    });
  }
  const columns =
    batch.operation === "delete" ? [...key] : [...new Set(batch.records.flatMap((r) => Object.keys(r.fields)))];
  const missing = [...new Set([...columns, ...key])].filter((column) => !table.columns.has(column));
  if (missing.length > 0) {
    throw new ConfigurationError(
      `table "${batch.object}" has no column ${missing.map((column) => `"${column}"`).join(", ")}`,
      {
        code: "column_missing",
        fix: "add the column to the table, or correct the sync's `mapping` (or `options.key`)",
      },
    );
  }
  const unmapped = key.filter((column) => !columns.includes(column));
  if (unmapped.length > 0) {
    throw new ConfigurationError(
      `the sync does not map the key column(s) ${unmapped.join(", ")} of "${batch.object}"`,
      {
        code: "key_unmapped",
        fix: "map the model's key to the table's key column(s) in the sync's `mapping`, or set `options.key`",
      },
    );
  }
  return { columns, key };
}

/**
 * A record's values as column texts, in plan order; for a delete, its key texts from its
 * remote id (or from the model's key when the columns share names). Undefined for a delete
 * with neither.
 */
export function recordTexts(
  record: DestinationRecord,
  plan: WritePlan,
  operation: string,
): Array<string | null> | undefined {
  if (operation !== "delete") return plan.columns.map((column) => valueText(record.fields[column]));
  if (record.remoteId !== undefined) return parseRowId(record.remoteId, plan.key);
  if (plan.key.every((column) => column in record.keyValues)) {
    return plan.key.map((column) => valueText(record.keyValues[column]));
  }
  return undefined;
}
