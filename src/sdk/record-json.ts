import type { DestinationRecord } from "./destination.ts";
import type { CanonicalRow } from "./values.ts";

/**
 * A record whose `keyValues` and `fields` are parsed from their staged JSON the first time a
 * plugin reads them, and never when it does not: a plugin that sends them on as JSON
 * (recordsJson) costs neither a parse nor a serialisation per record. Both are own enumerable
 * properties, so a copy (`{ ...record }`), JSON.stringify and equality see a plain record; the
 * staged texts are private. The accessors are shared by every record (not closures), which keeps
 * the records' properties fast: an object literal with getters is a dictionary, slower to create
 * than the parse it saves and to read everywhere after.
 */
export class StagedJsonRecord implements DestinationRecord {
  declare key: string;
  declare keyValues: CanonicalRow;
  declare fields: CanonicalRow;
  declare remoteId: string | undefined;
  #keyValuesJson: string | undefined;
  #fieldsJson: string | undefined;
  #keyValues: CanonicalRow | undefined;
  #fields: CanonicalRow | undefined;

  constructor(key: string, keyValues: string | CanonicalRow, fieldsJson: string | null, remoteId: string | undefined) {
    this.key = key;
    if (typeof keyValues === "string") this.#keyValuesJson = keyValues;
    else this.#keyValues = keyValues;
    if (fieldsJson === null) this.#fields = {};
    else this.#fieldsJson = fieldsJson;
    Object.defineProperty(this, "keyValues", KEY_VALUES);
    Object.defineProperty(this, "fields", FIELDS);
    this.remoteId = remoteId;
  }

  /** The staged JSON of the record's key values and fields, each while the plugin has not read it. */
  static staged(record: StagedJsonRecord): [keyValues: string | undefined, fields: string | undefined] {
    return [
      record.#keyValues === undefined ? record.#keyValuesJson : undefined,
      record.#fields === undefined ? record.#fieldsJson : undefined,
    ];
  }

  static keyValuesOf(record: StagedJsonRecord): CanonicalRow {
    record.#keyValues ??= JSON.parse(record.#keyValuesJson!) as CanonicalRow;
    return record.#keyValues;
  }

  static setKeyValues(record: StagedJsonRecord, value: CanonicalRow): void {
    record.#keyValues = value;
  }

  static fieldsOf(record: StagedJsonRecord): CanonicalRow {
    record.#fields ??= JSON.parse(record.#fieldsJson!) as CanonicalRow;
    return record.#fields;
  }

  static setFields(record: StagedJsonRecord, value: CanonicalRow): void {
    record.#fields = value;
  }
}

/** An accessor shared by every record (a method of the descriptor, not a closure per record). */
function accessor(
  get: (record: StagedJsonRecord) => CanonicalRow,
  set: (record: StagedJsonRecord, value: CanonicalRow) => void,
): PropertyDescriptor {
  return {
    get(this: StagedJsonRecord) {
      return get(this);
    },
    set(this: StagedJsonRecord, value: CanonicalRow) {
      set(this, value);
    },
    enumerable: true,
    configurable: true,
  };
}
const KEY_VALUES = accessor(StagedJsonRecord.keyValuesOf, StagedJsonRecord.setKeyValues);
const FIELDS = accessor(StagedJsonRecord.fieldsOf, StagedJsonRecord.setFields);

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
    const [stagedKeyValues, stagedFields] =
      record instanceof StagedJsonRecord ? StagedJsonRecord.staged(record) : [undefined, undefined];
    const keyValues = stagedKeyValues ?? JSON.stringify(record.keyValues);
    const fields = stagedFields ?? JSON.stringify(record.fields);
    const remoteId = record.remoteId === undefined ? "" : `,"remoteId":${JSON.stringify(record.remoteId)}`;
    parts[i] = `{"key":${JSON.stringify(record.key)},"keyValues":${keyValues},"fields":${fields}${remoteId}}`;
  }
  return `[${parts.join(",")}]`;
}

/**
 * `JSON.stringify(record.fields)`, written from the JSON the engine staged when the plugin has
 * not read the fields: for a plugin that writes each record's fields as JSON text of its own
 * (a line of a log, a column), as recordsJson does for a whole batch.
 */
export function fieldsJson(record: DestinationRecord): string {
  const staged = record instanceof StagedJsonRecord ? StagedJsonRecord.staged(record)[1] : undefined;
  return staged ?? JSON.stringify(record.fields);
}
