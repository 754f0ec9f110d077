import { secret } from "syncline/sdk";
import * as v from "valibot";
import { pemConfigEntries, serverConfigEntries, tableWriteEntries } from "../sql-table/config.ts";

/** TLS options; `ca`, `cert` and `key` take PEM text or a path to a PEM file. */
const ssl = v.strictObject({
  ...pemConfigEntries,
  /** Verify the server's certificate (default); false encrypts without verifying. */
  rejectUnauthorized: v.optional(v.boolean(), true),
});

/**
 * MySQL or MariaDB. Either `url` (`mysql://user:password@host:3306/db`) or the separate
 * fields; the fields fill in what the URL leaves out (typically `password: ${MYSQL_PASSWORD}`).
 * With `ssl` present the connection is encrypted, and refused when the server cannot.
 */
export const mysqlConfig = v.strictObject({
  ...serverConfigEntries,
  ssl: v.optional(v.pipe(ssl, secret())),
  ...tableWriteEntries({ batchSize: 2_000, maxBatchSize: 50_000 }),
});

export type MysqlConfig = v.InferOutput<typeof mysqlConfig>;
