import type { DestinationRecord } from "./destination.ts";
import type { CanonicalRow } from "./values.ts";

/**
 * Where a record the engine built keeps the JSON texts it was staged with, for as long as its
 * plugin has not read them. Not enumerable: a copy (`{ ...record }`) does not carry it, and
 * equality in a plugin's tests sees a plain record.
 */
const STAGED = Symbol("syncline.stagedJson");

interface Staged {
  [STAGED]?: () => { keyValues: string | undefined; fields: string | undefined };
}

/**
 * A record whose `keyValues` and `fields` are parsed from their staged JSON the first time a
 * plugin reads them, and never when it does not: a plugin that sends them on as JSON
 * (recordsJson) costs neither a parse nor a serialisation per record. Both are ordinary
 * enumerable properties (a copy, JSON.stringify and assignment behave as on a plain object).
 */
export function stagedRecord(
  key: string,
  keyValuesJson: string | CanonicalRow,
  fieldsJson: string | null,
  remoteId: string | undefined,
): DestinationRecord {
  let keyValues = typeof keyValuesJson === "string" ? undefined : keyValuesJson;
  let fields: CanonicalRow | undefined = fieldsJson === null ? {} : undefined;
  const record: DestinationRecord = {
    key,
    get keyValues(): CanonicalRow {
      keyValues ??= JSON.parse(keyValuesJson as string) as CanonicalRow;
      return keyValues;
    },
    set keyValues(value: CanonicalRow) {
      keyValues = value;
    },
    get fields(): CanonicalRow {
      fields ??= JSON.parse(fieldsJson!) as CanonicalRow;
      return fields;
    },
    set fields(value: CanonicalRow) {
      fields = value;
    },
    remoteId,
  };
  const staged = () => ({
    keyValues: keyValues === undefined ? (keyValuesJson as string) : undefined,
    fields: fields === undefined ? fieldsJson! : undefined,
  });
  return Object.defineProperty(record, STAGED, { value: staged });
}

/**
 * `JSON.stringify(records)` of `{ key, keyValues, fields, remoteId }` objects, the shape a batch
 * of records takes in a JSON body: written from the JSON the engine staged for each record when
 * the plugin has not read its values, so a batch is serialised once, not parsed and written
 * again. The same JSON values as JSON.stringify gives (object keys in the staged order).
 */
export function recordsJson(records: readonly DestinationRecord[]): string {
  const parts: string[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const staged = (record as Staged)[STAGED]?.();
    const keyValues = staged?.keyValues ?? JSON.stringify(record.keyValues);
    const fields = staged?.fields ?? JSON.stringify(record.fields);
    const remoteId = record.remoteId === undefined ? "" : `,"remoteId":${JSON.stringify(record.remoteId)}`;
    parts[i] = `{"key":${JSON.stringify(record.key)},"keyValues":${keyValues},"fields":${fields}${remoteId}}`;
  }
  return `[${parts.join(",")}]`;
}
