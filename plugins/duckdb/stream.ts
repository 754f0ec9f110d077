import type { DuckDBConnection } from "@duckdb/node-api";
import type { CanonicalRow } from "syncline/sdk";
import { classifyDuckDBError } from "./errors.ts";
import type { Converter } from "./values.ts";

/**
 * Streams a query's result chunk by chunk (DuckDB's vectors, 2048 rows), converted to
 * canonical values column-wise: one converter per column, rows assembled in one pass.
 * Aborting interrupts the query; the error then says it was cancelled.
 */
export async function* streamQuery(
  connection: DuckDBConnection,
  sql: string,
  signal: AbortSignal,
  what: string,
): AsyncGenerator<CanonicalRow[]> {
  const onAbort = () => connection.interrupt();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const result = await startStream(connection, sql, signal, what);
    const names = result.columnNames();
    // values.ts needs the driver's value classes: loaded with the driver, not with the plugin.
    const { converterFor } = await import("./values.ts");
    const converters: Converter[] = result.columnTypes().map(converterFor);
    for (;;) {
      if (signal.aborted) throw classifyDuckDBError(signal.reason, `reading ${what}`, signal);
      let chunk: Awaited<ReturnType<typeof result.fetchChunk>>;
      try {
        chunk = await result.fetchChunk();
      } catch (error) {
        throw classifyDuckDBError(error, `reading ${what}`, signal);
      }
      if (!chunk || chunk.rowCount === 0) return;
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
      yield rows;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** A query's streamed result, its error (or the run's cancel) classified. */
export async function startStream(
  connection: DuckDBConnection,
  sql: string,
  signal: AbortSignal,
  what: string,
): Promise<Awaited<ReturnType<DuckDBConnection["stream"]>>> {
  try {
    signal.throwIfAborted();
    return await connection.stream(sql);
  } catch (error) {
    throw classifyDuckDBError(error, `running ${what}`, signal);
  }
}
