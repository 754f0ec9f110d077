import { type Capabilities, httpDestinationOptions, positiveInteger, secret } from "syncline/sdk";
import * as v from "valibot";

export const salesforceConfig = v.object({
  /** Overrides the `instance_url` the token response names (rarely needed). */
  instanceUrl: v.optional(v.pipe(v.string(), v.url("instanceUrl must be a URL"))),
  apiVersion: v.optional(v.pipe(v.string(), v.regex(/^\d{2,3}\.0$/, 'apiVersion looks like "62.0"')), "62.0"),
  /** The connected app's consumer key. */
  clientId: v.pipe(v.string(), v.minLength(1, "clientId is required: the connected app's consumer key")),
  /** Client-credentials flow: the connected app's consumer secret. */
  clientSecret: v.optional(v.pipe(v.string(), secret())),
  /** JWT bearer flow: the user to act as, with `privateKey` (PEM) or `privateKeyFile`. */
  username: v.optional(v.string()),
  privateKey: v.optional(v.pipe(v.string(), secret())),
  /** JWT bearer flow: a PEM file, relative to the config file. */
  privateKeyFile: v.optional(v.string()),
  /** JWT `aud` (default https://login.salesforce.com, or https://test.salesforce.com for test.salesforce.com). */
  audience: v.optional(v.string()),
  /** Bulk API 2.0 for large batches: `auto` above `bulkThreshold` records, `always` or `never`. */
  bulk: v.optional(v.picklist(["auto", "always", "never"]), "auto"),
  bulkThreshold: v.optional(positiveInteger, 2_000),
  /** Records per write when bulk may be used (one ingest job each). */
  bulkMaxRecords: v.optional(positiveInteger, 10_000),
  bulkPollIntervalMs: v.optional(positiveInteger, 2_000),
  bulkTimeoutMs: v.optional(positiveInteger, 600_000),
  /** How long to wait after REQUEST_LIMIT_EXCEEDED (Salesforce sends no Retry-After). */
  limitWaitMs: v.optional(positiveInteger, 60_000),
  /**
   * `baseUrl`: the authorization server tokens are requested from: https://login.salesforce.com,
   * https://test.salesforce.com (sandboxes) or your My Domain URL (required for the
   * client-credentials flow). `rateLimit`: pacing, if you want one (Salesforce has daily caps,
   * not a burst limit).
   */
  ...httpDestinationOptions({ baseUrl: "https://login.salesforce.com", concurrency: 4, timeoutMs: 120_000 }),
});

export type SalesforceConfig = v.InferOutput<typeof salesforceConfig>;

export const salesforceSyncOptions = v.object({
  /** The external id field upserts match by, for example `External_Id__c`. */
  externalIdField: v.optional(v.pipe(v.string(), v.minLength(1))),
});

/** Records per sObject Collections call. */
export const COLLECTION_LIMIT = 200;
/** Bulk API 2.0 accepts 150 MB of CSV per job; leave room for quoting. */
const BULK_MAX_BYTES = 100_000_000;

export function salesforceCapabilities(config: SalesforceConfig): Capabilities {
  const bulk = config.bulk !== "never";
  return {
    operations: ["upsert", "update", "insert", "delete"],
    maxRecords: bulk ? config.bulkMaxRecords : COLLECTION_LIMIT,
    ...(bulk ? { maxBytes: BULK_MAX_BYTES } : {}),
    ...(config.rateLimit ? { rateLimit: config.rateLimit } : {}),
    concurrency: config.concurrency,
    timeoutMs: bulk ? config.bulkTimeoutMs : config.timeoutMs,
    matchingKeys: ["an external id field", "Id"],
    // sObject PATCH changes only the fields sent; in Bulk API 2.0 an empty cell leaves a field as it is.
    partialUpdate: true,
  };
}

/** Whether a batch of this size goes through Bulk API 2.0. */
export function usesBulk(config: SalesforceConfig, records: number): boolean {
  return config.bulk === "always" || (config.bulk === "auto" && records >= config.bulkThreshold);
}

export function dataPath(config: SalesforceConfig, rest: string): string {
  return `services/data/v${config.apiVersion}/${rest}`;
}
