import { secret } from "syncline/sdk";
import * as v from "valibot";

export const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));

/**
 * Where the server is and who logs in: either `url` or the separate fields, which fill in
 * what the URL leaves out (typically the password from an environment variable).
 */
export const serverConfigEntries = {
  url: v.optional(v.pipe(v.string(), secret())),
  host: v.optional(v.string()),
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535))),
  user: v.optional(v.string()),
  password: v.optional(v.pipe(v.string(), secret())),
  database: v.optional(v.string()),
};

/** TLS material: `ca`, `cert` and `key` take PEM text or a path to a PEM file. */
export const pemConfigEntries = {
  ca: v.optional(v.string()),
  cert: v.optional(v.string()),
  key: v.optional(v.pipe(v.string(), secret())),
};

/**
 * A table destination's limits: one write statement's longest run, the rows of one batch
 * (one transaction) up to `maxBatchSize`, and the pool size (so the batches written at once).
 */
export function tableWriteEntries(batch: { batchSize: number; maxBatchSize: number }) {
  return {
    /** Longest one write statement may run. */
    queryTimeoutMs: v.optional(positiveInt, 300_000),
    connectTimeoutMs: v.optional(positiveInt, 10_000),
    /** Rows per batch, written in one transaction. */
    batchSize: v.optional(v.pipe(positiveInt, v.maxValue(batch.maxBatchSize)), batch.batchSize),
    /** Pool size, and so the batches written at once. */
    maxConnections: v.optional(positiveInt, 4),
  };
}
