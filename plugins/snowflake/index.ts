import { type Column, defineSource } from "syncline/sdk";
import { snowflakeDialect } from "syncline/sdk/sql";
import { type SnowflakeConfig, snowflakeConfig } from "./config.ts";
import { closeConnection, connectionFor } from "./connection.ts";
import { classifySnowflakeError } from "./errors.ts";
import { readOrdered } from "./ordered.ts";
import { execute, streamRows } from "./read.ts";
import { typeName } from "./types.ts";
import { closeWarehouseSession, snowflakeWarehouse } from "./warehouse.ts";

/** Snowflake, through snowflake-sdk with result streaming. */
export default defineSource<SnowflakeConfig>({
  name: "snowflake",
  description: "Snowflake (password or key-pair authentication), streamed result chunks",
  config: snowflakeConfig,
  warehouse: snowflakeWarehouse,

  async check(ctx) {
    const connection = await connectionFor(ctx);
    try {
      await execute(connection, "SELECT 1 AS ok", ctx.config, false).done;
    } catch (error) {
      throw classifySnowflakeError(error, "running a test query on Snowflake");
    }
  },

  async columns(ctx, model): Promise<Column[]> {
    const connection = await connectionFor(ctx);
    try {
      const statement = await execute(
        connection,
        `SELECT * FROM ${snowflakeDialect.relation(model)} AS m LIMIT 0`,
        ctx.config,
        false,
      ).done;
      return (statement.getColumns() ?? []).map((column) => ({ name: column.getName(), type: typeName(column) }));
    } catch (error) {
      throw classifySnowflakeError(error, "reading the model's columns from Snowflake");
    }
  },

  read(ctx, model, options) {
    return streamRows(ctx, snowflakeDialect.select(model, options.columns));
  },

  readOrdered,

  async close(ctx) {
    await closeWarehouseSession(ctx);
    await closeConnection(ctx);
  },
});
