import type pg from "pg";
import { ConfigurationError, type DiscoveredObject } from "syncline/sdk";
import type { ColumnType, TableSyncOptions } from "../sql-table/options.ts";
import { keyColumns, tableParts } from "../sql-table/options.ts";
import { quoteIdent } from "./sql.ts";

export interface TableColumn {
  /** The type without modifiers (`character varying`, not `character varying(10)`): values are
   * cast to it, and the assignment to the column then refuses what does not fit instead of
   * truncating it as an explicit cast to `varchar(10)` would. */
  base: string;
  notNull: boolean;
  hasDefault: boolean;
}

export interface TableInfo {
  /** The table's quoted, possibly schema-qualified name. */
  sql: string;
  columns: Map<string, TableColumn>;
  primaryKey: string[];
}

const DESCRIBE = `SELECT a.attname AS name, format_type(a.atttypid, NULL) AS base, a.attnotnull AS not_null,
  (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS has_default,
  coalesce(a.attnum = ANY(i.indkey), false) AS in_pk
FROM pg_attribute a LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`;

interface DescribedRow {
  name: string;
  base: string;
  not_null: boolean;
  has_default: boolean;
  in_pk: boolean;
}

export function quotedTable(object: string): string {
  const { schema, name } = tableParts(object);
  return schema === undefined ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** The table's columns and primary key, or undefined when there is no such table. */
export async function describeTable(client: pg.PoolClient, object: string): Promise<TableInfo | undefined> {
  const sql = quotedTable(object);
  const { rows } = await client.query<DescribedRow>(DESCRIBE, [sql]);
  if (rows.length === 0) return undefined;
  return {
    sql,
    columns: new Map(
      rows.map((row) => [row.name, { base: row.base, notNull: row.not_null, hasDefault: row.has_default }]),
    ),
    primaryKey: rows.filter((row) => row.in_pk).map((row) => row.name),
  };
}

const SQL_TYPES: Record<ColumnType, string> = {
  string: "text",
  number: "double precision",
  integer: "bigint",
  boolean: "boolean",
  date: "date",
  datetime: "timestamptz",
  json: "jsonb",
};

export function createTableSql(object: string, options: TableSyncOptions): string {
  const columns = Object.entries(options.createTable?.columns ?? {}).map(
    ([name, type]) => `${quoteIdent(name)} ${SQL_TYPES[type]}`,
  );
  const key = keyColumns(options.key).map(quoteIdent).join(", ");
  return `CREATE TABLE IF NOT EXISTS ${quotedTable(object)} (${columns.join(", ")}, PRIMARY KEY (${key}))`;
}

/** The described table, created first when it is missing and `createTable` is set. */
export async function ensureTable(
  client: pg.PoolClient,
  object: string,
  options: TableSyncOptions,
): Promise<TableInfo> {
  const found = await describeTable(client, object);
  if (found) return found;
  if (options.createTable) {
    await client.query(createTableSql(object, options));
    const created = await describeTable(client, object);
    if (created) return created;
  }
  throw new ConfigurationError(`table "${object}" does not exist in the Postgres database`, {
    code: "table_missing",
    fix: "create it, correct the sync's `object` (schema.table), or set `options.createTable` to let Syncline create it",
  });
}

/** Postgres type names in the vocabulary `discover` reports. */
export function vocabularyType(base: string): ColumnType {
  if (["smallint", "integer", "bigint"].includes(base)) return "integer";
  if (["numeric", "real", "double precision"].includes(base)) return "number";
  if (base === "boolean") return "boolean";
  if (base === "date") return "date";
  if (base.startsWith("timestamp")) return "datetime";
  if (base === "json" || base === "jsonb") return "json";
  return "string";
}

const TABLES = `SELECT n.nspname AS schema, c.relname AS table, a.attname AS name,
  format_type(a.atttypid, NULL) AS base, a.attnotnull AS not_null,
  (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS has_default
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND has_table_privilege(c.oid, 'INSERT')
ORDER BY n.nspname, c.relname, a.attnum`;

/** Every table the user may write, `public` ones unqualified, with the vocabulary types. */
export async function discoverTables(client: pg.PoolClient): Promise<DiscoveredObject[]> {
  const { rows } = await client.query<DescribedRow & { schema: string; table: string }>(TABLES);
  const objects = new Map<string, DiscoveredObject>();
  for (const row of rows) {
    const name = row.schema === "public" ? row.table : `${row.schema}.${row.table}`;
    const object = objects.get(name) ?? { name, fields: [] };
    objects.set(name, object);
    object.fields.push({ name: row.name, type: vocabularyType(row.base), required: row.not_null && !row.has_default });
  }
  return [...objects.values()];
}
