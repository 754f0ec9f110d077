import * as v from "valibot";
import { tableWriteEntries } from "../sql-table/config.ts";
import { postgresConfig } from "./config.ts";

/**
 * The destination's options: the source's connection options (`url` or the fields, `ssl`,
 * pool size), with `batchSize` as rows per transaction and a shorter statement timeout
 * (server-side `statement_timeout`).
 */
export const postgresDestinationConfig = v.strictObject({
  ...postgresConfig.entries,
  ...tableWriteEntries({ batchSize: 5_000, maxBatchSize: 100_000 }),
});

export type PostgresDestinationConfig = v.InferOutput<typeof postgresDestinationConfig>;
