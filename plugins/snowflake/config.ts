import { secret } from "syncline/sdk";
import * as v from "valibot";

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));

/**
 * Snowflake: account identifier and user, with a password or a key pair (`privateKey` PEM
 * text or `privateKeyPath`, with `privateKeyPassphrase` when the key is encrypted).
 */
export const snowflakeConfig = v.strictObject({
  /** Account identifier: `myorg-myaccount` (preferred) or a locator such as `xy12345.eu-west-1`. */
  account: v.pipe(v.string(), v.nonEmpty()),
  username: v.pipe(v.string(), v.nonEmpty()),
  password: v.optional(v.pipe(v.string(), secret())),
  privateKey: v.optional(v.pipe(v.string(), secret())),
  privateKeyPath: v.optional(v.string()),
  privateKeyPassphrase: v.optional(v.pipe(v.string(), secret())),
  role: v.optional(v.string()),
  warehouse: v.optional(v.string()),
  database: v.optional(v.string()),
  schema: v.optional(v.string()),
  /** Longest a model query may run (STATEMENT_TIMEOUT_IN_SECONDS for Syncline's statements). */
  queryTimeoutMs: v.optional(positiveInt, 3_600_000),
  /** Rows handed to the engine per chunk. */
  batchSize: v.optional(positiveInt, 5_000),
  /** Login attempts the driver retries on network errors before giving up (the engine retries runs). */
  loginRetries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 2),
  /** Full URL of the account, for private connectivity (PrivateLink) or a proxy in front of it. */
  accessUrl: v.optional(v.pipe(v.string(), v.url())),
});

export type SnowflakeConfig = v.InferOutput<typeof snowflakeConfig>;
