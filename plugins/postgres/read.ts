import { once } from "node:events";
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
  const pid = backendPid(client);
  const stream = client.query(new QueryStream(sql, [], { batchSize: ctx.config.batchSize, types: canonicalTypes }));
  let cancelling: Promise<void> | undefined;
  const onAbort = () => {
    cancelling = cancelBackend(ctx, pid, "query");
  };
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  let broken: Error | undefined;
  try {
    yield* inChunks<CanonicalRow>(stream, ctx.config.batchSize, ctx.signal);
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    ctx.signal.throwIfAborted();
    throw classifyPgError(error, "reading the model from Postgres");
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    if (!stream.closed) {
      const closed = once(stream, "close").catch(() => undefined);
      stream.destroy();
      await closed;
    }
    await cancelling;
    // After a cancel or an error the session may be mid-statement: discard it.
    client.release(broken ?? (ctx.signal.aborted ? true : undefined));
  }
}
