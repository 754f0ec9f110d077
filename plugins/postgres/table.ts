import type pg from "pg";
import type { DiscoveredObject } from "syncline/sdk";
import type { ColumnType } from "../sql-table/options.ts";
import { quotedTable, type TableDialect } from "../sql-table/table.ts";
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

/** The table's columns and primary key, or undefined when there is no such table. */
export async function describeTable(client: pg.PoolClient, object: string): Promise<TableInfo | undefined> {
  const sql = quotedTable(object, quoteIdent);
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

export const POSTGRES_TABLES: TableDialect<pg.PoolClient, TableInfo> = {
  product: "Postgres",
  qualifiedName: "schema.table",
  quoteIdent,
  columnTypes: {
    string: "text",
    number: "double precision",
    integer: "bigint",
    boolean: "boolean",
    date: "date",
    datetime: "timestamptz",
    json: "jsonb",
  },
  describe: describeTable,
};

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
