import type snowflake from "snowflake-sdk";
import type { SourceContext, WarehouseAccess } from "syncline/sdk";
import { snowflakeDialect } from "syncline/sdk/sql";
import type { SnowflakeConfig } from "./config.ts";
import { closeConnection, connectionFor } from "./connection.ts";
import { classifySnowflakeError } from "./errors.ts";
import { execute, streamRows } from "./read.ts";

type Ctx = SourceContext<SnowflakeConfig>;

/** Rows per bulk insert: under the driver's threshold (65,280 values) past which it stages binds with PUT. */
const LOAD_ROWS = 20_000;

/**
 * Warehouse mode on Snowflake. Syncline's statements run on a session of their own (its
 * ALTER SESSION output formats must not change what models see on the reading session);
 * `ctx.state` keeps it next to the reading connection. Tables are loaded with array binds.
 */
export const snowflakeWarehouse: WarehouseAccess<SnowflakeConfig> = {
  dialect: snowflakeDialect,

  async execute(ctx, statements) {
    const connection = await connectionFor(own(ctx));
    for (const sql of statements) {
      try {
        await execute(connection, sql, ctx.config, false).done;
      } catch (error) {
        await execute(connection, "ROLLBACK", ctx.config, false).done.catch(() => undefined);
        throw classifySnowflakeError(error, "running Syncline's warehouse statements on Snowflake");
      }
    }
  },

  async *query(ctx, sql, options = {}) {
    const session = own(ctx);
    const connection = await connectionFor(session);
    try {
      for (const statement of options.setup ?? []) await execute(connection, statement, ctx.config, false).done;
    } catch (error) {
      throw classifySnowflakeError(error, "preparing the Snowflake session for the warehouse diff");
    }
    yield* streamRows(session, sql);
  },

  async bulkLoad(ctx, table, columns, rows) {
    const connection = await connectionFor(own(ctx));
    const target = snowflakeDialect.table(table);
    const names = columns.map((column) => snowflakeDialect.quoteIdent(column)).join(", ");
    const sql = `INSERT INTO ${target} (${names}) VALUES (${columns.map((_, i) => snowflakeDialect.param(i + 1)).join(", ")})`;
    let batch: Array<Array<string | null>> = [];
    const flush = async () => {
      if (batch.length > 0) await insert(connection, sql, batch, ctx.config);
      batch = [];
    };
    try {
      for (const row of rows) {
        batch.push(columns.map((_, i) => row[i] ?? null));
        if (batch.length >= LOAD_ROWS) await flush();
      }
      await flush();
    } catch (error) {
      throw classifySnowflakeError(error, `loading ${target} on Snowflake`);
    }
  },
};

/** Closes the warehouse-mode session (the source's close calls it). */
export async function closeWarehouseSession(ctx: Ctx): Promise<void> {
  await closeConnection(own(ctx));
}

/** The context of the warehouse-mode session: the same source, its own connection slot. */
function own(ctx: Ctx): Ctx {
  let state = ctx.state.get("warehouse") as Map<string, unknown> | undefined;
  if (!state) {
    state = new Map();
    ctx.state.set("warehouse", state);
  }
  return { ...ctx, state };
}

function insert(
  connection: snowflake.Connection,
  sql: string,
  binds: Array<Array<string | null>>,
  config: SnowflakeConfig,
): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText: sql,
      binds: binds as snowflake.Binds,
      parameters: { STATEMENT_TIMEOUT_IN_SECONDS: Math.ceil(config.queryTimeoutMs / 1000) },
      complete: (error) => (error ? reject(error) : resolve()),
    });
  });
}
