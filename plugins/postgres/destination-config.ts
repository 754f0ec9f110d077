import * as v from "valibot";
import { postgresConfig } from "./config.ts";

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));

/**
 * The destination's options: the source's connection options (`url` or the fields, `ssl`,
 * pool size), with `batchSize` as rows per transaction and a shorter statement timeout.
 */
export const postgresDestinationConfig = v.strictObject({
  ...postgresConfig.entries,
  /** Longest one write statement may run (server-side `statement_timeout`). */
  queryTimeoutMs: v.optional(positiveInt, 300_000),
  connectTimeoutMs: v.optional(positiveInt, 10_000),
  /** Rows per batch, written in one transaction. */
  batchSize: v.optional(v.pipe(positiveInt, v.maxValue(100_000)), 5_000),
  /** Pool size, and so the batches written at once. */
  maxConnections: v.optional(positiveInt, 4),
});

export type PostgresDestinationConfig = v.InferOutput<typeof postgresDestinationConfig>;
