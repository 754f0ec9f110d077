import { type DestinationContext, QuotaExhaustedError, type RateLimit, type SynclineError } from "syncline/sdk";
import { type HubSpotConfig, rateLimitFor } from "./config.ts";

/** After the daily limit is seen used up, no call for this long (HubSpot does not say when it resets). */
const DAILY_PAUSE_MS = 60 * 60 * 1000;
const DAILY_QUOTA = "HubSpot's daily API limit (it resets at midnight in the account's time zone)";
const DAILY_FIX =
  "run again after midnight in the HubSpot account's time zone, buy the API limit increase, or sync less often";
/** HubSpot's rolling window, when its answer does not name it. */
export const DEFAULT_INTERVAL_MS = 10_000;
export interface HubSpotLimits {
  max?: number | undefined;
  remaining?: number | undefined;
  intervalMs?: number | undefined;
  dailyRemaining?: number | undefined;
}

/** Reads `X-HubSpot-RateLimit-*` headers (absent on some endpoints and auth types). */
export function readLimits(headers: Headers): HubSpotLimits {
  const number = (name: string) => {
    const value = headers.get(name);
    return value === null || value === "" || !Number.isFinite(Number(value)) ? undefined : Number(value);
  };
  return {
    max: number("x-hubspot-ratelimit-max"),
    remaining: number("x-hubspot-ratelimit-remaining"),
    intervalMs: number("x-hubspot-ratelimit-interval-milliseconds"),
    dailyRemaining: number("x-hubspot-ratelimit-daily-remaining"),
  };
}

/**
 * Logs what is left and, when HubSpot says nothing is, pauses this destination (every sync
 * using it): the engine holds the next calls instead of letting them earn a 429. Two cases need
 * no pause: a 429 (the RateLimitError it becomes already holds the calls for Retry-After), and a
 * window that Syncline's own pacing fills exactly (see `pacedAtLimit`).
 */
export function noteLimits(ctx: DestinationContext<HubSpotConfig>, headers: Headers, status: number): void {
  const limits = readLimits(headers);
  if (limits.remaining === undefined && limits.dailyRemaining === undefined) return;
  ctx.logger.debug({ rateLimit: limits }, "hubspot rate limit");
  if (limits.dailyRemaining === 0) {
    const reason = "HubSpot reported no daily API calls left (X-HubSpot-RateLimit-Daily-Remaining: 0)";
    ctx.pause(DAILY_PAUSE_MS, new QuotaExhaustedError(reason, { quota: DAILY_QUOTA, fix: DAILY_FIX }));
  } else if (limits.remaining === 0 && status !== 429 && !pacedAtLimit(rateLimitFor(ctx.config), limits)) {
    ctx.pause(
      limits.intervalMs ?? DEFAULT_INTERVAL_MS,
      "HubSpot rate limit used up (X-HubSpot-RateLimit-Remaining: 0)",
    );
  }
}
/**
 * Whether the engine's pacing (the declared rate limit) puts exactly as many calls in one of
 * HubSpot's rolling windows as HubSpot allows. Then `Remaining: 0` is the normal state after
 * every paced call, not a sign that another app shares the budget, and the engine already
 * holds the next call until the oldest one has left the window: pausing a whole interval on
 * top of that would halve the throughput. A pace below HubSpot's limit (other apps used the
 * rest) or above it (a wrong tier) still pauses.
 */
export function pacedAtLimit(pace: RateLimit, limits: HubSpotLimits): boolean {
  if (limits.max === undefined || limits.intervalMs === undefined || limits.intervalMs <= 0) return false;
  return pace.requests * Math.ceil(limits.intervalMs / pace.windowMs) === limits.max;
}

/** A 429 that names HubSpot's daily limit: a quota (waiting seconds does not help); undefined for any other 429. */
export function dailyLimitError(body: unknown): SynclineError | undefined {
  const { policyName, message } = (body ?? {}) as { policyName?: unknown; message?: unknown };
  if (policyName !== "DAILY") return undefined;
  return new QuotaExhaustedError(
    `HubSpot refused the call: ${typeof message === "string" ? message : "rate limit exceeded"}`,
    {
      code: "daily_limit",
      quota: DAILY_QUOTA,
      fix: DAILY_FIX,
    },
  );
}
