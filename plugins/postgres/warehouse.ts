import type pg from "pg";
import QueryStream from "pg-query-stream";
import { type CanonicalRow, inChunks, type SourceContext, type WarehouseAccess } from "syncline/sdk";
import { postgresDialect } from "syncline/sdk/sql";
import type { PostgresConfig } from "./config.ts";
import { classifyPgError } from "./errors.ts";
import { backendPid, cancelBackend, connect } from "./pool.ts";
import { canonicalTypes } from "./types.ts";

type Ctx = SourceContext<PostgresConfig>;

/** Rows per INSERT … SELECT FROM unnest(…) when loading a table. */
const LOAD_ROWS = 10_000;

/**
 * Warehouse mode on Postgres: statements run on one pooled session; a query runs in its own
 * transaction so its session settings (SET LOCAL) never leak into the pool, streamed through
 * a server-side cursor like `read`; tables are loaded with arrays bound to unnest().
 */
export const postgresWarehouse: WarehouseAccess<PostgresConfig> = {
  dialect: postgresDialect,

  async execute(ctx, statements) {
    const client = await connect(ctx);
    let broken: Error | undefined;
    try {
      for (const sql of statements) await client.query(sql);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      broken = error instanceof Error ? error : new Error(String(error));
      throw classifyPgError(error, "running Syncline's warehouse statements on Postgres");
    } finally {
      client.release(broken);
    }
  },

  async *query(ctx, sql, options = {}) {
    ctx.signal.throwIfAborted();
    const client = await connect(ctx);
    const pid = backendPid(client);
    let cancelling: Promise<void> | undefined;
    const onAbort = () => {
      cancelling = cancelBackend(ctx, pid, "query");
    };
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    let broken: Error | boolean | undefined;
    let committed = false;
    try {
      await client.query("BEGIN READ ONLY");
      for (const statement of options.setup ?? []) await client.query(statement);
      yield* stream(ctx, client, sql);
      await client.query("COMMIT");
      committed = true;
    } catch (error) {
      broken = error instanceof Error ? error : true;
      ctx.signal.throwIfAborted();
      throw classifyPgError(error, "running the warehouse diff on Postgres");
    } finally {
      ctx.signal.removeEventListener("abort", onAbort);
      await cancelling;
      // A cursor left open or a cancelled statement leaves the session mid-transaction: discard it.
      client.release(broken ?? (committed ? undefined : true));
    }
  },

  async bulkLoad(ctx, table, columns, rows) {
    const client = await connect(ctx);
    const target = postgresDialect.table(table);
    const arrays = columns.map((_, i) => `${postgresDialect.param(i + 1)}::text[]`).join(", ");
    const names = columns.map((column) => postgresDialect.quoteIdent(column)).join(", ");
    const insert = `INSERT INTO ${target} (${names}) SELECT * FROM unnest(${arrays})`;
    let broken: Error | undefined;
    try {
      let batch: Array<Array<string | null>> = columns.map(() => []);
      let size = 0;
      const flush = async () => {
        if (size > 0) await client.query(insert, batch);
        batch = columns.map(() => []);
        size = 0;
      };
      for (const row of rows) {
        for (let i = 0; i < columns.length; i++) batch[i]!.push(row[i] ?? null);
        if (++size >= LOAD_ROWS) await flush();
      }
      await flush();
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw classifyPgError(error, `loading ${target} on Postgres`);
    } finally {
      client.release(broken);
    }
  },
};

async function* stream(ctx: Ctx, client: pg.PoolClient, query: string): AsyncGenerator<CanonicalRow[]> {
  const { batchSize } = ctx.config;
  const rows = client.query(new QueryStream(query, [], { batchSize, types: canonicalTypes }));
  try {
    yield* inChunks<CanonicalRow>(rows, batchSize, ctx.signal);
  } finally {
    if (!rows.closed) rows.destroy();
  }
}
