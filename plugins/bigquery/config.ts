import { secret } from "syncline/sdk";
import * as v from "valibot";

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));

/**
 * BigQuery: the project that runs (and pays for) the query jobs, the location of the data,
 * and credentials: `credentials` (a service-account key's JSON text, e.g. `${GCP_SA_KEY}`),
 * `keyFilename` (a key file), or neither for Application Default Credentials.
 */
export const bigqueryConfig = v.strictObject({
  projectId: v.pipe(v.string(), v.nonEmpty()),
  /** Where the datasets live (US, EU, europe-west1 …); jobs run there. */
  location: v.optional(v.string()),
  credentials: v.optional(v.pipe(v.string(), secret())),
  keyFilename: v.optional(v.string()),
  /** Longest a query job may run (the job's jobTimeoutMs and Syncline's own deadline). */
  queryTimeoutMs: v.optional(positiveInt, 3_600_000),
  /** Rows per results page (maxResults) and per chunk handed to the engine. */
  pageSize: v.optional(positiveInt, 10_000),
  /** Refuse queries that would bill more than this many bytes (a cost guard). */
  maximumBytesBilled: v.optional(v.pipe(v.string(), v.regex(/^\d+$/))),
  /** API root for private or restricted endpoints (default https://bigquery.googleapis.com). */
  apiEndpoint: v.optional(v.pipe(v.string(), v.url())),
});

export type BigQueryConfig = v.InferOutput<typeof bigqueryConfig>;
