import { secret } from "syncline/sdk";
import * as v from "valibot";
import { pemConfigEntries, positiveInt, serverConfigEntries } from "../sql-table/config.ts";

/** TLS options; `ca`, `cert` and `key` take PEM text or a path to a PEM file. */
const ssl = v.strictObject({
  /** As libpq's sslmode: `require` encrypts without verifying, `verify-full` also checks the host name. */
  mode: v.optional(v.picklist(["disable", "require", "verify-ca", "verify-full"]), "verify-full"),
  ...pemConfigEntries,
  /** Overrides what `mode` implies about verifying the server certificate. */
  rejectUnauthorized: v.optional(v.boolean()),
});

/**
 * Postgres or Redshift. Either `url` (`postgres://user:password@host:5432/db?sslmode=require`)
 * or the separate fields; values in the URL win, the fields fill in what the URL leaves out
 * (typically `password: ${PGPASSWORD}`). Nothing given means libpq's defaults (localhost:5432).
 */
export const postgresConfig = v.strictObject({
  ...serverConfigEntries,
  /** The whole block is redacted from logs because it may hold the client key. */
  ssl: v.optional(v.pipe(ssl, secret())),
  /** Longest a model query may run, streaming included (server-side `statement_timeout`). */
  queryTimeoutMs: v.optional(positiveInt, 3_600_000),
  connectTimeoutMs: v.optional(positiveInt, 15_000),
  /** Rows fetched from the server-side cursor per round trip (and per chunk handed to the engine). */
  batchSize: v.optional(positiveInt, 5_000),
  maxConnections: v.optional(positiveInt, 4),
  applicationName: v.optional(v.string(), "syncline"),
});

export type PostgresConfig = v.InferOutput<typeof postgresConfig>;
