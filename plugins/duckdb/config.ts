import * as v from "valibot";

export const duckdbConfig = v.strictObject({
  /** Database file; omitted or `:memory:` for an in-memory database. */
  path: v.optional(v.string()),
  /** SQL file run once when the database is created (the quick start's sample warehouse). */
  seed: v.optional(v.string()),
  /** Open the file read-only (default true: Syncline only reads models). */
  readOnly: v.optional(v.boolean()),
  threads: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** DuckDB's memory limit (for example "128MB"); past it, large sorts and joins spill to disk. */
  memoryLimit: v.optional(v.string()),
  /**
   * Where DuckDB spills (default: `<path>.tmp` next to the file) and where an ordered read
   * writes its sorted key digests (default: the system's temporary directory); must be writable.
   */
  tempDirectory: v.optional(v.string()),
});

export type DuckDBConfig = v.InferOutput<typeof duckdbConfig>;
