import type { WarehouseDialect } from "../../../../sdk/source.ts";
import { BigQueryDialect } from "./bigquery.ts";
import type { Dialect } from "./dialect.ts";
import { DuckDBDialect } from "./duckdb.ts";
import { PostgresDialect } from "./postgres.ts";
import { SnowflakeDialect } from "./snowflake.ts";

export type { Dialect } from "./dialect.ts";

export function dialectFor(name: WarehouseDialect): Dialect {
  switch (name) {
    case "duckdb":
      return new DuckDBDialect();
    case "postgres":
      return new PostgresDialect();
    case "snowflake":
      return new SnowflakeDialect();
    case "bigquery":
      return new BigQueryDialect();
  }
}
