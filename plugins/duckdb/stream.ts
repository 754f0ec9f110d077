import type { DuckDBConnection, DuckDBDataChunk } from "@duckdb/node-api";
import type { CanonicalRow } from "syncline/sdk";
import { classifyDuckDBError } from "./errors.ts";
import type { Converter } from "./values.ts";

type Result = Awaited<ReturnType<DuckDBConnection["stream"]>>;

/**
 * Streams a query's result chunk by chunk (DuckDB's vectors, 2048 rows), each made into a page
 * by the reader `open` returns for the result. The next chunk is fetched while the caller
 * handles the current one: DuckDB works on its own thread meanwhile. Aborting interrupts the
 * query; the error then says it was cancelled.
 */
export async function* streamPages<T>(
  connection: DuckDBConnection,
  sql: string,
  signal: AbortSignal,
  what: string,
  open: (result: Result) => Promise<(chunk: DuckDBDataChunk) => T>,
): AsyncGenerator<T> {
  const onAbort = () => connection.interrupt();
  signal.addEventListener("abort", onAbort, { once: true });
  let next: Promise<DuckDBDataChunk | null> | undefined;
  try {
    const result = await startStream(connection, sql, signal, what);
    const page = await open(result);
    next = result.fetchChunk();
    for (;;) {
      let chunk: DuckDBDataChunk | null;
      try {
        chunk = await next;
      } catch (error) {
        throw classifyDuckDBError(error, `reading ${what}`, signal);
      } finally {
        next = undefined;
      }
      if (!chunk || chunk.rowCount === 0) return;
      if (signal.aborted) throw classifyDuckDBError(signal.reason, `reading ${what}`, signal);
      next = result.fetchChunk();
      yield page(chunk);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    // The connection takes no other statement while a fetch runs: let it end first.
    await next?.catch(() => undefined);
  }
}

/**
 * Streams a query's rows, converted to canonical values column-wise: one converter per column,
 * rows assembled in one pass.
 */
export function streamQuery(
  connection: DuckDBConnection,
  sql: string,
  signal: AbortSignal,
  what: string,
): AsyncGenerator<CanonicalRow[]> {
  return streamPages(connection, sql, signal, what, rowReader);
}

async function rowReader(result: Result): Promise<(chunk: DuckDBDataChunk) => CanonicalRow[]> {
  const names = result.columnNames();
  // values.ts needs the driver's value classes: loaded with the driver, not with the plugin.
  const { converterFor } = await import("./values.ts");
  const converters: Converter[] = result.columnTypes().map(converterFor);
  return (chunk) => {
    const columns = chunk.getColumns();
    const count = chunk.rowCount;
    const rows: CanonicalRow[] = new Array(count);
    for (let r = 0; r < count; r++) rows[r] = {};
    for (let c = 0; c < names.length; c++) {
      const name = names[c]!;
      const convert = converters[c]!;
      const values = columns[c]!;
      for (let r = 0; r < count; r++) rows[r]![name] = convert(values[r]!);
    }
    return rows;
  };
}

/** A query's streamed result, its error (or the run's cancel) classified. */
async function startStream(connection: DuckDBConnection, sql: string, signal: AbortSignal, what: string) {
  try {
    signal.throwIfAborted();
    return await connection.stream(sql);
  } catch (error) {
    throw classifyDuckDBError(error, `running ${what}`, signal);
  }
}
