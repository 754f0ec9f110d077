import type mysql from "mysql2/promise";
import type { DiscoveredObject } from "syncline/sdk";
import { type ColumnType, tableParts } from "../sql-table/options.ts";
import { quotedTable, type TableDialect } from "../sql-table/table.ts";

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
    sql: quotedTable(object, quoteIdent),
    columns: new Map(columns.map((row) => [row.name, row.dataType.toLowerCase()])),
    primaryKey: columns.filter((row) => row.colKey === "PRI").map((row) => row.name),
  };
}

export const MYSQL_TABLES: TableDialect<mysql.PoolConnection, TableInfo> = {
  product: "MySQL",
  qualifiedName: "database.table",
  quoteIdent,
  columnTypes: {
    string: "VARCHAR(255)",
    number: "DOUBLE",
    integer: "BIGINT",
    boolean: "BOOLEAN",
    date: "DATE",
    datetime: "DATETIME(6)",
    json: "JSON",
  },
  describe: describeTable,
};

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
