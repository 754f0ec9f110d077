import { type Capabilities, httpDestinationOptions, type RateLimit, secret } from "syncline/sdk";
import * as v from "valibot";

/** HubSpot's burst limits for private apps, per 10 seconds, by account tier. */
export const TIER_LIMITS = {
  free: 100,
  starter: 100,
  professional: 190,
  enterprise: 190,
  "capacity-pack": 250,
} as const;

export type HubSpotTier = keyof typeof TIER_LIMITS;

export const hubspotConfig = v.object({
  /** A private app's access token (or an OAuth access token). */
  accessToken: v.pipe(v.string(), v.minLength(1, "accessToken is required: a HubSpot private app token"), secret()),
  /** The account's tier, which sets the default pacing (unless `rateLimit` overrides it). */
  tier: v.optional(v.picklist(Object.keys(TIER_LIMITS) as HubSpotTier[]), "professional"),
  ...httpDestinationOptions({ baseUrl: "https://api.hubapi.com", concurrency: 4, timeoutMs: 30_000 }),
});

export type HubSpotConfig = v.InferOutput<typeof hubspotConfig>;

export const hubspotSyncOptions = v.object({
  /**
   * The unique property records are matched by (`email` by default for contacts; required
   * for other objects). Its value is the record's mapped field of the same name.
   */
  idProperty: v.optional(v.pipe(v.string(), v.minLength(1))),
});

/** Records per batch call, as HubSpot documents for CRM v3 batch endpoints. */
export const MAX_BATCH = 100;

/**
 * Pacing: the explicit override, or 95% of the tier's documented burst limit, so that other
 * apps in the same account leave us room before HubSpot answers 429.
 */
export function rateLimitFor(config: HubSpotConfig): RateLimit {
  if (config.rateLimit) return config.rateLimit;
  return { requests: Math.floor(TIER_LIMITS[config.tier] * 0.95), windowMs: 10_000 };
}

export function hubspotCapabilities(config: HubSpotConfig): Capabilities {
  return {
    operations: ["upsert", "update", "insert", "delete"],
    maxRecords: MAX_BATCH,
    rateLimit: rateLimitFor(config),
    concurrency: config.concurrency,
    timeoutMs: config.timeoutMs,
    matchingKeys: ["email (contacts)", "any property with unique values", "hs_object_id"],
    // batch/update and batch/upsert change only the properties sent.
    partialUpdate: true,
  };
}

/** The property that identifies records of `object`, or undefined when none is configured. */
export function idPropertyFor(object: string, options: Record<string, unknown>): string | undefined {
  const configured = options.idProperty;
  if (typeof configured === "string" && configured !== "") return configured;
  return object === "contacts" || object === "0-1" ? "email" : undefined;
}
