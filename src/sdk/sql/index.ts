/**
 * Syncline's SQL dialects, for sources that read from a SQL warehouse: quoting, relation
 * names, literals and parameters, and the canonical text and hash of a row that Syncline's
 * warehouse diff uses. Import it as `syncline/sdk/sql`. A source on a warehouse that is not
 * built in extends `BaseDialect` and passes its dialect as `warehouse.dialect`.
 */

export { BaseDialect } from "./base.ts";
export { BigQueryDialect } from "./bigquery.ts";
export type { Column, Dialect } from "./dialect.ts";
export { bigqueryDialect, dialectFor, duckdbDialect, postgresDialect, snowflakeDialect } from "./dialects.ts";
export { DuckDBDialect } from "./duckdb.ts";
export { type OrderedDigestSql, orderedDigestSql, TEXT_SEPARATOR } from "./ordered-digest.ts";
export { PostgresDialect } from "./postgres.ts";
export { SnowflakeDialect } from "./snowflake.ts";
export {
  type KeyBatchLimits,
  keyBatches,
  type StoredResultSource,
  storedResultOrderedRead,
} from "./sql-ordered-read.ts";
