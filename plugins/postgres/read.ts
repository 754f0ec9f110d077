import { once } from "node:events";
import type pg from "pg";
import QueryStream from "pg-query-stream";
import { type CanonicalRow, inChunks, type SourceContext } from "syncline/sdk";
import type { PostgresConfig } from "./config.ts";
import { classifyPgError } from "./errors.ts";
import { backendPid, cancelBackend, connect } from "./pool.ts";
import { canonicalTypes } from "./types.ts";

type Ctx = SourceContext<PostgresConfig>;

/**
 * Streams a query through a server-side cursor (pg-query-stream): `batchSize` rows per round
 * trip, so memory holds about two batches whatever the model's size. When `ctx.signal`
 * aborts, the running statement is cancelled on the server (pg_cancel_backend from another
 * connection) and the connection is discarded rather than returned to the pool.
 */
export async function* streamRows(ctx: Ctx, sql: string): AsyncGenerator<CanonicalRow[]> {
  ctx.signal.throwIfAborted();
  const client = await connect(ctx);
  if (ctx.signal.aborted) {
    client.release();
    ctx.signal.throwIfAborted(); // aborted while connecting
  }
  let broken: Error | undefined;
  try {
    yield* streamOn<CanonicalRow>(ctx, client, new QueryStream(sql, [], cursorOptions(ctx)), "reading the model");
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // After a cancel or an error the session may be mid-statement: discard it.
    client.release(broken ?? (ctx.signal.aborted ? true : undefined));
  }
}

/** The cursor's options: a batch per round trip, values parsed to canonical ones. */
export function cursorOptions(ctx: Ctx) {
  return { batchSize: ctx.config.batchSize, types: canonicalTypes };
}

/**
 * Streams one cursor query on a checked-out client in chunks of `batchSize` rows, cancelling
 * the statement on the server when `ctx.signal` aborts. Errors are classified (`what` says
 * what was being done); the caller releases the client, discarding it after an error.
 */
export async function* streamOn<T>(
  ctx: Ctx,
  client: pg.PoolClient,
  query: QueryStream,
  what: string,
): AsyncGenerator<T[]> {
  const stream = client.query(query);
  let cancelling: Promise<void> | undefined;
  const onAbort = () => {
    cancelling = cancelBackend(ctx, backendPid(client), "query");
  };
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    yield* inChunks<T>(stream as AsyncIterable<T>, ctx.config.batchSize, ctx.signal);
  } catch (error) {
    ctx.signal.throwIfAborted();
    throw classifyPgError(error, `${what} from Postgres`);
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    if (!stream.closed) {
      const closed = once(stream, "close").catch(() => undefined);
      stream.destroy();
      await closed;
    }
    await cancelling;
  }
}
