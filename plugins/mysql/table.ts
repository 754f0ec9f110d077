import type mysql from "mysql2/promise";
import { ConfigurationError, type DiscoveredObject } from "syncline/sdk";
import { type ColumnType, keyColumns, type TableSyncOptions, tableParts } from "../sql-table/options.ts";

export interface TableInfo {
  /** The table's quoted, possibly database-qualified name. */
  sql: string;
  /** Column → its DATA_TYPE (`varchar`, `datetime`, …). */
  columns: Map<string, string>;
  primaryKey: string[];
}

export function quoteIdent(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

export function quotedTable(object: string): string {
  const { schema, name } = tableParts(object);
  return schema === undefined ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

interface ColumnRow {
  db: string;
  tbl: string;
  name: string;
  dataType: string;
  columnType: string;
  nullable: string;
  dflt: string | null;
  extra: string;
  colKey: string;
}

const COLUMNS = `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl, COLUMN_NAME AS name, DATA_TYPE AS dataType,
  COLUMN_TYPE AS columnType, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra, COLUMN_KEY AS colKey
FROM information_schema.COLUMNS`;

export async function describeTable(connection: mysql.PoolConnection, object: string): Promise<TableInfo | undefined> {
  const { schema, name } = tableParts(object);
  const [rows] = await connection.query(
    `${COLUMNS} WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [schema ?? null, name],
  );
  const columns = rows as ColumnRow[];
  if (columns.length === 0) return undefined;
  return {
    sql: quotedTable(object),
    columns: new Map(columns.map((row) => [row.name, row.dataType.toLowerCase()])),
    primaryKey: columns.filter((row) => row.colKey === "PRI").map((row) => row.name),
  };
}

const SQL_TYPES: Record<ColumnType, string> = {
  string: "VARCHAR(255)",
  number: "DOUBLE",
  integer: "BIGINT",
  boolean: "BOOLEAN",
  date: "DATE",
  datetime: "DATETIME(6)",
  json: "JSON",
};

export function createTableSql(object: string, options: TableSyncOptions): string {
  const columns = Object.entries(options.createTable?.columns ?? {}).map(
    ([name, type]) => `${quoteIdent(name)} ${SQL_TYPES[type]}`,
  );
  const key = keyColumns(options.key).map(quoteIdent).join(", ");
  return `CREATE TABLE IF NOT EXISTS ${quotedTable(object)} (${columns.join(", ")}, PRIMARY KEY (${key}))`;
}

export async function ensureTable(
  connection: mysql.PoolConnection,
  object: string,
  options: TableSyncOptions,
): Promise<TableInfo> {
  const found = await describeTable(connection, object);
  if (found) return found;
  if (options.createTable) {
    await connection.query(createTableSql(object, options));
    const created = await describeTable(connection, object);
    if (created) return created;
  }
  throw new ConfigurationError(`table "${object}" does not exist in the MySQL database`, {
    code: "table_missing",
    fix: "create it, correct the sync's `object` (database.table), or set `options.createTable` to let Syncline create it",
  });
}

/** MySQL/MariaDB column types in the vocabulary `discover` reports (`tinyint(1)` is boolean). */
export function vocabularyType(dataType: string, columnType: string): ColumnType {
  const type = dataType.toLowerCase();
  if (type === "tinyint" && columnType.toLowerCase().startsWith("tinyint(1)")) return "boolean";
  if (["tinyint", "smallint", "mediumint", "int", "bigint"].includes(type)) return "integer";
  if (["decimal", "float", "double"].includes(type)) return "number";
  if (type === "date") return "date";
  if (type === "datetime" || type === "timestamp") return "datetime";
  if (type === "json") return "json";
  return "string";
}

/** The connected database's tables, unqualified, with the vocabulary types. */
export async function discoverTables(connection: mysql.PoolConnection): Promise<DiscoveredObject[]> {
  const [rows] = await connection.query(
    `${COLUMNS} WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN
      (SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE')
     ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  );
  const objects = new Map<string, DiscoveredObject>();
  for (const row of rows as ColumnRow[]) {
    const object = objects.get(row.tbl) ?? { name: row.tbl, fields: [] };
    objects.set(row.tbl, object);
    const required = row.nullable === "NO" && row.dflt === null && !row.extra.toLowerCase().includes("auto_increment");
    object.fields.push({ name: row.name, type: vocabularyType(row.dataType, row.columnType), required });
  }
  return [...objects.values()];
}
