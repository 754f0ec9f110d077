import type { CanonicalRow } from "../../sdk/values.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { fieldHashes, headerOf } from "./field-hashes.ts";
import { hashFields } from "./hash.ts";

/** What the staging table keeps of a record that will be sent. */
export interface Materialized {
  /** The canonical JSON of the mapped fields (what is hashed and sent). */
  json: string;
  hash: string;
  /** The primary key columns and their values, as JSON. */
  keyValues: string;
  /** Its field hashes, for a sendChangedFieldsOnly sync (field-hashes.ts). */
  fieldHashes: string | null;
}

/** A model row's mapped fields, their hash and its key values. */
export function materialize(row: CanonicalRow, spec: SyncSpec): Materialized {
  const fields = fieldsOf(row, spec);
  const json = JSON.stringify(fields);
  return {
    json,
    hash: hashFields(json),
    keyValues: keyValuesJson(row, spec),
    fieldHashes: fieldHashesOf(spec, fields),
  };
}

/** A row's mapped fields, in mapping order. */
export function fieldsOf(row: CanonicalRow, spec: SyncSpec): CanonicalRow {
  const fields: CanonicalRow = {};
  for (const [field, column] of spec.mapping) fields[field] = row[column] ?? null;
  return fields;
}

/** The canonical JSON of a row's mapped fields, in mapping order. */
export function fieldsJson(row: CanonicalRow, spec: SyncSpec): string {
  return JSON.stringify(fieldsOf(row, spec));
}

const headers = new WeakMap<SyncSpec, { names: string[]; header: string }>();

/**
 * The field hashes of a record's mapped fields when the sync sends changed fields only (null
 * otherwise). Computed where the fields are built, so records sent in full need no second pass.
 */
export function fieldHashesOf(spec: SyncSpec, fields: CanonicalRow): string | null {
  if (!spec.changedFieldsOnly) return null;
  let mapping = headers.get(spec);
  if (!mapping) {
    const names = spec.mapping.map(([field]) => field);
    mapping = { names, header: headerOf(names) };
    headers.set(spec, mapping);
  }
  return fieldHashes(mapping.header, mapping.names, fields);
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
