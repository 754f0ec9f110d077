import * as v from "valibot";

export const duckdbConfig = v.strictObject({
  /** Database file; omitted or `:memory:` for an in-memory database. */
  path: v.optional(v.string()),
  /** SQL file run once when the database is created (the quick start's sample warehouse). */
  seed: v.optional(v.string()),
  /** Open the file read-only (default true: Syncline only reads models). */
  readOnly: v.optional(v.boolean()),
  threads: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /**
   * DuckDB's memory limit (for example "128MB"); past it, large sorts and joins spill to disk.
   * Default: Syncline's budget, DUCKDB_MEMORY_BUDGET.
   */
  memoryLimit: v.optional(v.string()),
  /**
   * Where DuckDB spills and where an ordered read writes its sorted key digests; must be
   * writable. Default: fresh directories in the system's temporary directory, removed after use.
   */
  tempDirectory: v.optional(v.string()),
});

export type DuckDBConfig = v.InferOutput<typeof duckdbConfig>;

/**
 * Syncline's memory budget for an embedded DuckDB, whose memory is Syncline's process's: the
 * `memory_limit` it gets when `memoryLimit` is not set, instead of DuckDB's own default (80%
 * of the machine's memory). DuckDB's sort needs buffer memory per thread and fails with an
 * out-of-memory error, rather than spilling, when a thread gets too little: so the limit is
 * `perThreadMb` for each thread DuckDB runs (`threads`, default one per core), and never less
 * than `minimumMb`. Past the limit DuckDB spills to its temp directory. At the peak of a sort
 * DuckDB holds up to about twice its limit (the limit covers its buffers, not every allocation).
 */
export const DUCKDB_MEMORY_BUDGET = { perThreadMb: 32, minimumMb: 64 } as const;
