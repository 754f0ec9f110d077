import type { Readable } from "node:stream";
import type snowflake from "snowflake-sdk";
import { type CanonicalRow, inChunks, type SourceContext } from "syncline/sdk";
import type { SnowflakeConfig } from "./config.ts";
import { connectionFor } from "./connection.ts";
import { classifySnowflakeError } from "./errors.ts";
import { type Convert, converterFor } from "./types.ts";

type Ctx = SourceContext<SnowflakeConfig>;

/** Runs a statement and waits for it to finish (its rows are fetched separately). */
export function execute(
  connection: snowflake.Connection,
  sql: string,
  config: SnowflakeConfig,
  streamResult: boolean,
  binds?: snowflake.Binds,
): { statement: snowflake.RowStatement; done: Promise<snowflake.RowStatement> } {
  let settle!: { resolve: (s: snowflake.RowStatement) => void; reject: (e: unknown) => void };
  const done = new Promise<snowflake.RowStatement>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const statement = connection.execute({
    sqlText: sql,
    streamResult,
    fetchAsString: ["Number"],
    rowMode: "array",
    ...(binds ? { binds } : {}),
    parameters: { STATEMENT_TIMEOUT_IN_SECONDS: Math.ceil(config.queryTimeoutMs / 1000) },
    complete: (error, stmt) => (error ? settle.reject(error) : settle.resolve(stmt)),
  });
  done.catch(() => undefined);
  return { statement, done };
}

export interface StreamOptions {
  binds?: snowflake.Binds;
  /** Run the statement to its end and hand it over, leaving its result on the server unread. */
  finished?: (statement: snowflake.RowStatement) => void;
}

/**
 * Streams a statement's result with the driver's result streaming (`streamResult` and
 * `streamRows()`): the driver downloads the result's chunks a few at a time, so memory stays
 * flat. On abort the statement is cancelled on the server (abort-request) and the stream
 * is dropped.
 */
export async function* streamRows(ctx: Ctx, sql: string, options: StreamOptions = {}): AsyncGenerator<CanonicalRow[]> {
  ctx.signal.throwIfAborted();
  const connection = await connectionFor(ctx);
  ctx.signal.throwIfAborted();
  const { statement, done } = execute(connection, sql, ctx.config, true, options.binds);
  let rows: Readable | undefined;
  let cancelling: Promise<void> | undefined;
  const onAbort = () => {
    cancelling = new Promise((resolve) => statement.cancel(() => resolve()));
    rows?.destroy();
  };
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const completed = await done;
    ctx.signal.throwIfAborted();
    if (options.finished) {
      options.finished(completed);
      return;
    }
    const columns = completed.getColumns() ?? [];
    const names = columns.map((column) => column.getName());
    const converters: Convert[] = columns.map(converterFor);
    rows = completed.streamRows();
    yield* inChunks(canonicalRows(rows, names, converters), ctx.config.batchSize, ctx.signal);
  } catch (error) {
    ctx.signal.throwIfAborted();
    throw classifySnowflakeError(error, "reading the model from Snowflake");
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    rows?.destroy();
    await cancelling;
  }
}

async function* canonicalRows(rows: Readable, names: string[], converters: Convert[]): AsyncGenerator<CanonicalRow> {
  for await (const values of rows) {
    const row: CanonicalRow = {};
    for (let i = 0; i < names.length; i++) row[names[i]!] = converters[i]!((values as unknown[])[i]);
    yield row;
  }
}
