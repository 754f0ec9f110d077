import type { DuckDBConnection } from "@duckdb/node-api";

/**
 * Gives back to the system, now, what DuckDB's allocator (and the C library's heap) kept after
 * a large query. DuckDB has no statement for it, but changing its thread count relaunches
 * its threads, which purges every jemalloc arena and trims the C heap (TaskScheduler::
 * RelaunchThreads → Allocator::FlushAll); the count is then set back. Without it, the
 * background threads return the memory about a second later, while the engine's merge
 * already runs beside it (measured after the digest sort: BENCHMARKS.md, section 1).
 */
export async function releaseMemory(connection: DuckDBConnection): Promise<void> {
  const setting = await connection.runAndReadAll("SELECT current_setting('threads')");
  const threads = Number(setting.getRows()[0]![0]);
  await connection.run(`SET threads = ${threads === 1 ? 2 : 1}`);
  await connection.run(`SET threads = ${threads}`);
}
