import { availableParallelism, cpus, tmpdir } from "node:os";
import { resolve } from "node:path";
import type { SourceContext } from "syncline/sdk";
import { DUCKDB_MEMORY_BUDGET, type DuckDBConfig } from "./config.ts";
import { scratchDirectory } from "./scratch-dir.ts";

/**
 * DuckDB's memory limit: the user's `memoryLimit`, or Syncline's budget for the threads DuckDB
 * will run: its `threads`, or by default one per core, counted the larger of Node's two ways
 * (online cores, cores this process may run on) so as not to size for fewer threads than
 * DuckDB starts.
 */
export function memoryLimit(config: DuckDBConfig): string {
  if (config.memoryLimit) return config.memoryLimit;
  const threads = config.threads ?? Math.max(cpus().length, availableParallelism());
  return `${Math.max(DUCKDB_MEMORY_BUDGET.minimumMb, DUCKDB_MEMORY_BUDGET.perThreadMb * threads)}MB`;
}

/**
 * The limit of a first sync's streamed read (ordered.ts), which runs on one thread: the
 * budget of that one thread, without the instance's minimum. A plain scan needs next to no
 * buffer memory, but DuckDB's buffer pool keeps the table's blocks it has read, up to the
 * limit, and a streamed first sync reads every block once. A user's own `memoryLimit` is kept.
 */
export function streamMemoryLimit(config: DuckDBConfig): string {
  return config.memoryLimit ?? `${DUCKDB_MEMORY_BUDGET.perThreadMb}MB`;
}

/**
 * Where one DuckDB instance spills: the user's `tempDirectory`, or a directory of its own in
 * the system's temporary directory. DuckDB's default, `<path>.tmp` beside the database file
 * (`.tmp` in the working directory for an in-memory one), may not be writable when the
 * warehouse file is mounted read-only, and now that the limit is small, spilling is routine.
 * The directory is only named here: DuckDB creates it the first time it spills and deletes it
 * when the instance closes; `remove` is for the instance's end all the same (a closed
 * instance's files are gone, an abandoned one's are removed by the next process).
 */
export function spillDirectory(ctx: SourceContext<DuckDBConfig>): { path: string; remove: () => void } {
  if (ctx.config.tempDirectory) return { path: resolve(ctx.baseDir, ctx.config.tempDirectory), remove() {} };
  return scratchDirectory(tmpdir(), "syncline-duckdb-", { create: false });
}
