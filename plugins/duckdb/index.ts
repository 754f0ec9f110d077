import { defineSource } from "syncline/sdk";
import { duckdbDialect } from "syncline/sdk/sql";
import { type DuckDBConfig, duckdbConfig } from "./config.ts";
import { closeMemoryInstance, openConnection, withConnection } from "./database.ts";
import { classifyDuckDBError } from "./errors.ts";
import { readOrdered } from "./ordered.ts";
import { streamQuery } from "./stream.ts";
import { duckdbWarehouse } from "./warehouse.ts";

/** DuckDB, the embedded default warehouse: a file or an in-memory database. */
export default defineSource<DuckDBConfig>({
  name: "duckdb",
  description: "DuckDB database file or in-memory database (the embedded default)",
  config: duckdbConfig,
  warehouse: duckdbWarehouse,

  async check(ctx) {
    await withConnection(ctx, async (connection) => {
      await connection.run("SELECT 1");
    });
  },

  async columns(ctx, model) {
    return withConnection(ctx, async (connection) => {
      try {
        const result = await connection.run(`SELECT * FROM ${duckdbDialect.relation(model)} AS m LIMIT 0`);
        const types = result.columnTypes();
        return result.columnNames().map((name, i) => ({ name, type: types[i]!.toString() }));
      } catch (error) {
        throw classifyDuckDBError(error, "reading the model's columns");
      }
    });
  },

  async *read(ctx, model, options) {
    const { connection, release } = await openConnection(ctx);
    try {
      yield* streamQuery(connection, duckdbDialect.select(model, options.columns), ctx.signal, "the model");
    } finally {
      release();
    }
  },

  readOrdered,

  async close(ctx) {
    closeMemoryInstance(ctx);
  },
});
