import { type Capabilities, httpDestinationOptions, type RateLimit, rateLimitOption, secret } from "syncline/sdk";
import * as v from "valibot";

export const brazeConfig = v.strictObject({
  /** A REST API key with the `users.track` permission (and `users.delete` for mirror syncs). */
  apiKey: v.pipe(v.string(), v.minLength(1, "apiKey is required: a Braze REST API key"), secret()),
  /** Pacing of `/users/delete` (shared by Braze with /users/alias/new, /users/identify and /users/merge). */
  deleteRateLimit: v.optional(rateLimitOption),
  /**
   * `baseUrl`: the workspace's REST endpoint, for example https://rest.iad-01.braze.com
   * (Settings → APIs and Identifiers). `rateLimit`: the pacing of `/users/track`.
   */
  ...httpDestinationOptions({ baseUrl: "https://rest.iad-01.braze.com", concurrency: 8, timeoutMs: 30_000 }),
});

export type BrazeConfig = v.InferOutput<typeof brazeConfig>;

export const brazeSyncOptions = v.pipe(
  v.strictObject({
    /**
     * How records name their Braze user: `external_id` (the default; the mapped field
     * `external_id`) or `user_alias` (the mapped field `alias_name`, under `aliasLabel`).
     */
    identifier: v.optional(v.picklist(["external_id", "user_alias"])),
    /** The alias label of every user this sync writes, with `identifier: user_alias`. */
    aliasLabel: v.optional(v.pipe(v.string(), v.minLength(1))),
  }),
  v.forward(
    v.check(
      (options) => options.identifier !== "user_alias" || options.aliasLabel !== undefined,
      "identifier: user_alias needs aliasLabel: the label of the users' alias (for example crm_id)",
    ),
    ["aliasLabel"],
  ),
);

/** Attribute objects per `/users/track` call, as Braze documents. */
export const MAX_ATTRIBUTES = 75;
/** Identifiers per `/users/delete` call. */
export const MAX_DELETES = 50;

/** `/users/track`: Braze allows 3,000 requests per 3 s per workspace; we use 95% of it. */
export function trackRateLimit(config: BrazeConfig): RateLimit {
  return config.rateLimit ?? { requests: 2_850, windowMs: 3_000 };
}

/** `/users/delete`: Braze allows 20,000 requests a minute, shared with other user endpoints; we use 95%. */
export function deleteRateLimit(config: BrazeConfig): RateLimit {
  return config.deleteRateLimit ?? { requests: 19_000, windowMs: 60_000 };
}

export function brazeCapabilities(config: BrazeConfig): Capabilities {
  return {
    operations: ["upsert", "update", "delete"],
    maxRecords: MAX_ATTRIBUTES,
    rateLimit: trackRateLimit(config),
    concurrency: config.concurrency,
    timeoutMs: config.timeoutMs,
    matchingKeys: ["external_id", "user_alias (alias_name under options.aliasLabel)"],
    // /users/track changes only the attributes sent; the others keep their value.
    partialUpdate: true,
  };
}

export interface Identity {
  kind: "external_id" | "user_alias";
  /** The mapped field that holds each record's identifier. */
  field: "external_id" | "alias_name";
  label?: string | undefined;
}

/** The identifier a sync's records use, from its options (validated by brazeSyncOptions). */
export function identityOf(options: Record<string, unknown>): Identity {
  if (options.identifier === "user_alias") {
    return { kind: "user_alias", field: "alias_name", label: String(options.aliasLabel) };
  }
  return { kind: "external_id", field: "external_id" };
}
