import { type Column, defineSource } from "syncline/sdk";
import { postgresDialect } from "syncline/sdk/sql";
import { withConnection } from "../sql-table/connection.ts";
import { type PostgresConfig, postgresConfig } from "./config.ts";
import { classifyPgError } from "./errors.ts";
import { readOrdered } from "./ordered.ts";
import { closePool, connect } from "./pool.ts";
import { streamRows } from "./read.ts";
import { typeName } from "./types.ts";
import { postgresWarehouse } from "./warehouse.ts";

/** Postgres and Redshift (and anything that speaks the Postgres wire protocol). */
export default defineSource<PostgresConfig>({
  name: "postgres",
  description: "Postgres or Redshift, streamed through a server-side cursor",
  config: postgresConfig,
  warehouse: postgresWarehouse,

  check: (ctx) =>
    withConnection(
      () => connect(ctx),
      async (client) => void (await client.query("SELECT 1")),
      (error) => classifyPgError(error, "running a test query on Postgres"),
    ),

  columns: (ctx, model): Promise<Column[]> =>
    withConnection(
      () => connect(ctx),
      async (client) => {
        const result = await client.query(`SELECT * FROM ${postgresDialect.relation(model)} AS m LIMIT 0`);
        return result.fields.map((field) => ({ name: field.name, type: typeName(field.dataTypeID) }));
      },
      (error) => classifyPgError(error, "reading the model's columns from Postgres"),
    ),

  read(ctx, model, options) {
    return streamRows(ctx, postgresDialect.select(model, options.columns));
  },

  readOrdered,

  async close(ctx) {
    await closePool(ctx);
  },
});
