import type { WarehouseDialect } from "../source.ts";
import { BigQueryDialect } from "./bigquery.ts";
import type { Dialect } from "./dialect.ts";
import { DuckDBDialect } from "./duckdb.ts";
import { PostgresDialect } from "./postgres.ts";
import { SnowflakeDialect } from "./snowflake.ts";

/** The built-in dialects (stateless, so one instance each). */
export const duckdbDialect = new DuckDBDialect();
export const postgresDialect = new PostgresDialect();
export const snowflakeDialect = new SnowflakeDialect();
export const bigqueryDialect = new BigQueryDialect();

const BUILT_IN: Record<WarehouseDialect, Dialect> = {
  duckdb: duckdbDialect,
  postgres: postgresDialect,
  snowflake: snowflakeDialect,
  bigquery: bigqueryDialect,
};

/** A source's dialect: a built-in one by name, or the source's own object. */
export function dialectFor(dialect: WarehouseDialect | Dialect): Dialect {
  return typeof dialect === "string" ? BUILT_IN[dialect] : dialect;
}
