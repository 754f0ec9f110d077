import type { DuckDBConnection } from "@duckdb/node-api";
import { ConfigurationError, type SourceContext, type WarehouseAccess } from "syncline/sdk";
import { duckdbDialect } from "syncline/sdk/sql";
import type { DuckDBConfig } from "./config.ts";
import { openConnection } from "./database.ts";
import { classifyDuckDBError } from "./errors.ts";
import { streamQuery } from "./stream.ts";

type Ctx = SourceContext<DuckDBConfig>;

const READ_ONLY =
  "`diff: warehouse` keeps Syncline's snapshot tables inside the DuckDB file, so the file must be opened read-write: remove `readOnly: true` (or set readOnly: false)";

/**
 * Warehouse mode on DuckDB: Syncline's tables live in the same file as the model, and the
 * diff is one hash join inside DuckDB. The file is opened read-write for these statements
 * (whatever `readOnly` defaults to) unless `readOnly: true` is set explicitly, which is refused.
 */
export const duckdbWarehouse: WarehouseAccess<DuckDBConfig> = {
  dialect: duckdbDialect,

  configProblem(config) {
    return config.readOnly === true ? READ_ONLY : undefined;
  },

  async execute(ctx, statements) {
    await withWritable(ctx, async (connection) => {
      for (const sql of statements) {
        try {
          await connection.run(sql);
        } catch (error) {
          await connection.run("ROLLBACK").catch(() => undefined);
          throw classifyDuckDBError(error, "running Syncline's warehouse statements");
        }
      }
    });
  },

  async *query(ctx, sql, options = {}) {
    // Queries only read: a file explicitly read-only (a sync leaving warehouse mode) stays so.
    const { connection, release } = await openConnection(ctx, { writable: ctx.config.readOnly !== true });
    try {
      for (const statement of options.setup ?? []) await connection.run(statement);
      yield* streamQuery(connection, sql, ctx.signal, "the warehouse diff");
    } finally {
      // Closing a file database frees its buffer pool (a tenth of a second at 10M rows): done on
      // the next turn of the event loop, so the rows already read are staged meanwhile.
      setImmediate(release);
    }
  },

  async bulkLoad(ctx, table, columns, rows) {
    await withWritable(ctx, async (connection) => {
      try {
        const appender = await connection.createAppender(table.name, table.schema);
        try {
          for (const row of rows) {
            for (let i = 0; i < columns.length; i++) {
              const value = row[i] ?? null;
              if (value === null) appender.appendNull();
              else appender.appendVarchar(value);
            }
            appender.endRow();
          }
          appender.flushSync();
        } finally {
          appender.closeSync();
        }
      } catch (error) {
        throw classifyDuckDBError(error, `loading ${duckdbDialect.table(table)}`);
      }
    });
  },
};

async function writable(ctx: Ctx): Promise<{ connection: DuckDBConnection; release: () => void }> {
  if (ctx.config.readOnly === true) throw new ConfigurationError(READ_ONLY, { code: "read_only", path: "readOnly" });
  return openConnection(ctx, { writable: true });
}

async function withWritable<T>(ctx: Ctx, use: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const { connection, release } = await writable(ctx);
  try {
    return await use(connection);
  } finally {
    release();
  }
}
