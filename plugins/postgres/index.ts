import { type Column, defineSource } from "syncline/sdk";
import { postgresDialect } from "syncline/sdk/sql";
import { type PostgresConfig, postgresConfig } from "./config.ts";
import { classifyPgError } from "./errors.ts";
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

  async check(ctx) {
    const client = await connect(ctx);
    try {
      await client.query("SELECT 1");
    } catch (error) {
      throw classifyPgError(error, "running a test query on Postgres");
    } finally {
      client.release();
    }
  },

  async columns(ctx, model): Promise<Column[]> {
    const client = await connect(ctx);
    try {
      const result = await client.query(`SELECT * FROM ${postgresDialect.relation(model)} AS m LIMIT 0`);
      return result.fields.map((field) => ({ name: field.name, type: typeName(field.dataTypeID) }));
    } catch (error) {
      throw classifyPgError(error, "reading the model's columns from Postgres");
    } finally {
      client.release();
    }
  },

  read(ctx, model, options) {
    return streamRows(ctx, postgresDialect.select(model, options.columns));
  },

  async close(ctx) {
    await closePool(ctx);
  },
});
