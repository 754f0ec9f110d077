import type { CanonicalRow } from "../sdk/values.ts";
import { hashFields } from "./hash.ts";
import type { SyncSpec } from "./sync-spec.ts";

/** What the staging table keeps of a record that will be sent. */
export interface Materialized {
  /** The canonical JSON of the mapped fields (what is hashed and sent). */
  json: string;
  hash: string;
  /** The primary key columns and their values, as JSON. */
  keyValues: string;
}

/** A model row's mapped fields, their hash and its key values. */
export function materialize(row: CanonicalRow, spec: SyncSpec): Materialized {
  const json = fieldsJson(row, spec);
  return { json, hash: hashFields(json), keyValues: keyValuesJson(row, spec) };
}

/** The canonical JSON of a row's mapped fields, in mapping order. */
export function fieldsJson(row: CanonicalRow, spec: SyncSpec): string {
  const fields: CanonicalRow = {};
  for (const [field, column] of spec.mapping) fields[field] = row[column] ?? null;
  return JSON.stringify(fields);
}

export function keyValuesJson(row: CanonicalRow, spec: SyncSpec): string {
  const keyValues: CanonicalRow = {};
  for (const column of spec.primaryKey) keyValues[column] = row[column] ?? null;
  return JSON.stringify(keyValues);
}

/**
 * The mapping in the order its fields appear in the canonical JSON (`materialize` assigns them
 * in mapping order; JavaScript puts integer-like names first), for sources that hash rows.
 */
export function fieldsInJsonOrder(spec: SyncSpec): Array<readonly [string, string]> {
  const probe: CanonicalRow = {};
  for (const [field] of spec.mapping) probe[field] = null;
  const columns = new Map(spec.mapping);
  return Object.keys(probe).map((field) => [field, columns.get(field)!] as const);
}
