import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type {
  CanonicalRow,
  DigestChunk,
  Model,
  OrderedRead,
  OrderedReadRequest,
  SourceContext,
  SynclineError,
} from "syncline/sdk";
import { duckdbDialect, orderedDigestSql } from "syncline/sdk/sql";
import type { DuckDBConfig } from "./config.ts";
import { openConnection } from "./database.ts";
import { digestDirectory } from "./digest-dir.ts";
import { readDigestFile } from "./digest-file.ts";
import { classifyDuckDBError, OUT_OF_MEMORY } from "./errors.ts";
import { releaseMemory } from "./memory.ts";
import { memoryLimit, streamMemoryLimit } from "./sizing.ts";
import { streamQuery } from "./stream.ts";
import { streamTexts } from "./stream-texts.ts";

const KEYS = "__syncline_keys";

/**
 * The model's keys ordered by their canonical text, each with its hash computed by DuckDB
 * (md5 of the canonical JSON of its mapped fields: syncline/sdk/sql's orderedDigestSql), then
 * the rows of the keys the engine asks for — both in one transaction, so both see the same model.
 *
 * DuckDB sorts the keys and hashes into a CSV file (COPY … ORDER BY), which the engine then
 * reads (digest-file.ts), instead of streaming the sorted result: DuckDB's sort needs about
 * twice its memory limit while it runs, and streaming kept that memory, plus the result's
 * chunks waiting for the garbage collector, resident during the whole merge. Once the COPY
 * ends, DuckDB gives its memory back (memory.ts) before the merge starts. Measured at 10M
 * rows (bench/delta, second run, DuckDB at 64 MB): see BENCHMARKS.md.
 *
 * The sort carries only the key and the 128-bit hash, its hex text made after the sort:
 * sorting whole rows spilled 5× more data at 10M rows. The rows that changed (about 1% on a
 * typical run) are read again by key.
 */
export async function readOrdered(
  ctx: SourceContext<DuckDBConfig>,
  model: Model,
  request: OrderedReadRequest,
): Promise<OrderedRead | undefined> {
  const needed = new Set([...request.columns, ...request.primaryKey, ...request.fields.map(([, column]) => column)]);
  const types = await columnTypes(ctx, model, [...needed]);
  const queries = orderedDigestSql(duckdbDialect, model, request, types);
  if (queries === undefined) return undefined;
  const directory = digestDirectory(
    ctx.config.tempDirectory ? resolve(ctx.baseDir, ctx.config.tempDirectory) : tmpdir(),
  );
  const file = join(directory.path, "digests.csv");
  const copy = `COPY (${queries.digests})
    TO ${duckdbDialect.literal(file)} (FORMAT csv, HEADER false)`;
  const rows = queries.rows(`temp.main.${KEYS}`);
  const own = ownInstance(ctx.config) ? ctx.config : undefined;

  const { connection, release } = await openConnection(ctx).catch((error: unknown) => {
    directory.remove();
    throw error;
  });
  const onAbort = () => connection.interrupt();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    await connection.run("BEGIN TRANSACTION");
  } catch (error) {
    ctx.signal.removeEventListener("abort", onAbort);
    release();
    directory.remove();
    throw classifyDuckDBError(error, "starting the model's read");
  }
  return {
    chunks: chunks(connection, copy, file, request.primaryKey, ctx.signal),
    rows: (wanted) => rowsOf(connection, rows, wanted, ctx.signal),
    allRows: () =>
      onOneThread(connection, ctx.signal, own, () => streamQuery(connection, queries.all, ctx.signal, "the model")),
    allRowTexts(fields) {
      const sql = queries.allTexts(fields);
      if (sql === undefined) return undefined;
      // DuckDB keeps JSON as written: those fields are checked for the engine's canonical form.
      const json = fields.map(([, column]) => types.get(column) === "JSON");
      const checkJson = json.includes(true) ? json : undefined;
      return onOneThread(connection, ctx.signal, own, () =>
        streamTexts(connection, sql, request.columns, request.primaryKey, checkJson, ctx.signal, "the model"),
      );
    },
    async close() {
      ctx.signal.removeEventListener("abort", onAbort);
      await connection.run("ROLLBACK").catch(() => undefined);
      release();
      directory.remove();
    },
  };
}

async function columnTypes(
  ctx: SourceContext<DuckDBConfig>,
  model: Model,
  columns: readonly string[],
): Promise<Map<string, string>> {
  const { connection, release } = await openConnection(ctx);
  try {
    const result = await connection.run(
      `SELECT ${columns.map((c) => duckdbDialect.quoteIdent(c)).join(", ")} FROM ${duckdbDialect.relation(model)} AS m LIMIT 0`,
    );
    const types = result.columnTypes();
    // DuckDB prints JSON as VARCHAR: its alias tells them apart (a JSON value's text is exact).
    return new Map(
      result.columnNames().map((name, i) => [name, types[i]!.alias === "JSON" ? "JSON" : types[i]!.toString()]),
    );
  } catch (error) {
    throw classifyDuckDBError(error, "reading the model's columns");
  } finally {
    release();
  }
}

async function* chunks(
  connection: DuckDBConnection,
  copy: string,
  file: string,
  primaryKey: readonly string[],
  signal: AbortSignal,
): AsyncGenerator<DigestChunk> {
  try {
    signal.throwIfAborted();
    await connection.run(copy);
    await releaseMemory(connection);
  } catch (error) {
    throw classifyDuckDBError(error, "running the model", signal);
  }
  yield* readDigestFile(file, primaryKey);
}

async function* rowsOf(
  connection: DuckDBConnection,
  sql: string,
  keys: Iterable<readonly string[]>,
  signal: AbortSignal,
): AsyncGenerator<CanonicalRow[]> {
  try {
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${KEYS} (k VARCHAR)`);
    const appender = await connection.createAppender(KEYS, "main", "temp");
    try {
      for (const page of keys) {
        for (const key of page) {
          appender.appendVarchar(key);
          appender.endRow();
        }
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await releaseMemory(connection);
  } catch (error) {
    throw classifyDuckDBError(error, "loading the changed keys");
  }
  yield* streamQuery(connection, sql, signal, "the changed rows");
  await releaseMemory(connection).catch(() => undefined);
}

/**
 * Every row, for a first sync that sends them as they are read (`stream`: as values or as
 * texts): on one DuckDB thread, because the engine's thread, sending, is the bottleneck, and a
 * second scan thread only holds more rows in memory beside the records in flight; and within
 * one thread's memory budget (sizing.ts), so that DuckDB's cache of the blocks already read
 * stays small. A model whose query needs more (an aggregate, a join) and fails on it before
 * its first row is read again with the instance's limit. Only on an instance of this read's
 * own (`own`: a file, opened per use): an in-memory database's instance lives on, with its
 * settings.
 */
async function* onOneThread<T>(
  connection: DuckDBConnection,
  signal: AbortSignal,
  own: DuckDBConfig | undefined,
  stream: () => AsyncGenerator<T>,
): AsyncGenerator<T> {
  try {
    if (own)
      await connection.run(`SET threads = 1; SET memory_limit = ${duckdbDialect.literal(streamMemoryLimit(own))}`);
  } catch (error) {
    throw classifyDuckDBError(error, "reading the model", signal);
  }
  let started = false;
  try {
    for await (const page of stream()) {
      started = true;
      yield page;
    }
  } catch (error) {
    if (started || !own || (error as SynclineError).code !== OUT_OF_MEMORY) throw error;
    // The error ended the transaction. A new one sees the same rows: this instance holds the
    // file's lock, so no other process can have written to it in between.
    await connection.run(`ROLLBACK; SET memory_limit = ${duckdbDialect.literal(memoryLimit(own))}; BEGIN TRANSACTION`);
    yield* stream();
  }
}

function ownInstance(config: DuckDBConfig): boolean {
  return !!config.path && config.path !== ":memory:";
}
