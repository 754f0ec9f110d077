import { ConfigurationError } from "syncline/sdk";
import type { PooledConnection } from "./connection.ts";
import { type ColumnType, keyColumns, type TableSyncOptions, tableParts } from "./options.ts";

/**
 * How a database spells and describes tables: its identifier quoting, the column types
 * createTable declares, and the description (`T`) of a table it reads from its catalog.
 */
export interface TableDialect<K extends Pick<PooledConnection, "query">, T> {
  /** The database's name in messages: `MySQL`, `Postgres`. */
  product: string;
  /** How a qualified `object` is written in this database: `database.table`, `schema.table`. */
  qualifiedName: string;
  quoteIdent(name: string): string;
  columnTypes: Readonly<Record<ColumnType, string>>;
  /** The table's description, or undefined when there is no such table. */
  describe(connection: K, object: string): Promise<T | undefined>;
}

/** What createTableSql needs of a dialect. */
type Spelling = Pick<TableDialect<never, unknown>, "quoteIdent" | "columnTypes">;

/** `object` (`table` or `schema.table`) quoted for SQL; the dot is the only separator. */
export function quotedTable(object: string, quote: (name: string) => string): string {
  const { schema, name } = tableParts(object);
  return schema === undefined ? quote(name) : `${quote(schema)}.${quote(name)}`;
}

export function createTableSql(dialect: Spelling, object: string, options: TableSyncOptions): string {
  const quote = dialect.quoteIdent;
  const columns = Object.entries(options.createTable?.columns ?? {}).map(
    ([name, type]) => `${quote(name)} ${dialect.columnTypes[type]}`,
  );
  const key = keyColumns(options.key).map(quote).join(", ");
  return `CREATE TABLE IF NOT EXISTS ${quotedTable(object, quote)} (${columns.join(", ")}, PRIMARY KEY (${key}))`;
}

/**
 * The table `object` as described (and created first, when it is missing and `createTable` is
 * set) on its first write by this destination instance; kept in the instance's state for every
 * batch after, until `forgetTable` drops it because the table changed under the plugin.
 */
export async function tableOf<K extends Pick<PooledConnection, "query">, T>(
  dialect: TableDialect<K, T>,
  state: Map<string, unknown>,
  connection: K,
  object: string,
  options: TableSyncOptions,
): Promise<T> {
  const cached = state.get(`table:${object}`) as T | undefined;
  if (cached) return cached;
  const table = await ensureTable(dialect, connection, object, options);
  state.set(`table:${object}`, table);
  return table;
}

async function ensureTable<K extends Pick<PooledConnection, "query">, T>(
  dialect: TableDialect<K, T>,
  connection: K,
  object: string,
  options: TableSyncOptions,
): Promise<T> {
  const found = await dialect.describe(connection, object);
  if (found) return found;
  if (options.createTable) {
    await connection.query(createTableSql(dialect, object, options));
    const created = await dialect.describe(connection, object);
    if (created) return created;
  }
  throw new ConfigurationError(`table "${object}" does not exist in the ${dialect.product} database`, {
    code: "table_missing",
    fix: `create it, correct the sync's \`object\` (${dialect.qualifiedName}), or set \`options.createTable\` to let Syncline create it`,
  });
}

export function forgetTable(state: Map<string, unknown>, object: string): void {
  state.delete(`table:${object}`);
}
