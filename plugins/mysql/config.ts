import { secret } from "syncline/sdk";
import * as v from "valibot";

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));

/** TLS options; `ca`, `cert` and `key` take PEM text or a path to a PEM file. */
const ssl = v.strictObject({
  ca: v.optional(v.string()),
  cert: v.optional(v.string()),
  key: v.optional(v.pipe(v.string(), secret())),
  /** Verify the server's certificate (default); false encrypts without verifying. */
  rejectUnauthorized: v.optional(v.boolean(), true),
});

/**
 * MySQL or MariaDB. Either `url` (`mysql://user:password@host:3306/db`) or the separate
 * fields; the fields fill in what the URL leaves out (typically `password: ${MYSQL_PASSWORD}`).
 * With `ssl` present the connection is encrypted, and refused when the server cannot.
 */
export const mysqlConfig = v.strictObject({
  url: v.optional(v.pipe(v.string(), secret())),
  host: v.optional(v.string()),
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535))),
  user: v.optional(v.string()),
  password: v.optional(v.pipe(v.string(), secret())),
  database: v.optional(v.string()),
  ssl: v.optional(v.pipe(ssl, secret())),
  /** Longest one write statement may run. */
  queryTimeoutMs: v.optional(positiveInt, 300_000),
  connectTimeoutMs: v.optional(positiveInt, 10_000),
  /** Rows per batch, written in one transaction. */
  batchSize: v.optional(v.pipe(positiveInt, v.maxValue(50_000)), 2_000),
  /** Pool size, and so the batches written at once. */
  maxConnections: v.optional(positiveInt, 4),
});

export type MysqlConfig = v.InferOutput<typeof mysqlConfig>;
