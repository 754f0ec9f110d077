import * as v from "valibot";

/** The column types a created table may declare, and the types `discover` reports. */
export const COLUMN_TYPES = ["string", "number", "integer", "boolean", "date", "datetime", "json"] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

const name = v.pipe(v.string(), v.nonEmpty());

/**
 * Per-sync options of a database-table destination (`syncs.<name>.options`).
 */
export const tableSyncOptions = v.pipe(
  v.strictObject({
    /** The table, schema-qualified or not; default: the sync's `object`. */
    table: v.optional(name),
    /** Destination columns a record is matched on; default: the table's primary key. */
    key: v.optional(v.union([name, v.pipe(v.array(name), v.minLength(1))])),
    /** Creates the table when it is missing, with these columns and `key` as primary key. */
    createTable: v.optional(v.strictObject({ columns: v.record(name, v.picklist(COLUMN_TYPES)) })),
  }),
  v.check(
    (options) => !options.createTable || options.key !== undefined,
    "`createTable` needs `key`: the column(s) of the new table's primary key",
  ),
  v.check(
    (options) =>
      !options.createTable || keyColumns(options.key).every((column) => column in options.createTable!.columns),
    "every `key` column must be declared in `createTable.columns`",
  ),
);

export type TableSyncOptions = v.InferOutput<typeof tableSyncOptions>;

export function keyColumns(key: string | string[] | undefined): string[] {
  return key === undefined ? [] : typeof key === "string" ? [key] : key;
}

/** The sync options of a batch, validated again (the host validated them at start). */
export function syncOptionsOf(options: Record<string, unknown>): TableSyncOptions {
  return v.parse(tableSyncOptions, options);
}

/** `schema.table` or `table` into its parts (no quoting is interpreted: names are exact). */
export function tableParts(object: string): { schema: string | undefined; name: string } {
  const dot = object.indexOf(".");
  return dot < 0 ? { schema: undefined, name: object } : { schema: object.slice(0, dot), name: object.slice(dot + 1) };
}
