import {
  type DestinationContext,
  errorForStatus,
  QuotaExhaustedError,
  type RateLimit,
  RateLimitError,
  type SynclineError,
} from "syncline/sdk";
import { type HubSpotConfig, rateLimitFor } from "./config.ts";

const PAUSED_UNTIL = "hubspot.pausedUntil";
const PAUSED_FOR_DAILY = "hubspot.pausedForDaily";
/** After the daily limit is seen used up, no call for this long (HubSpot does not say when it resets). */
const DAILY_PAUSE_MS = 60 * 60 * 1000;
const DAILY_QUOTA = "HubSpot's daily API limit (it resets at midnight in the account's time zone)";
const DAILY_FIX =
  "run again after midnight in the HubSpot account's time zone, buy the API limit increase, or sync less often";
const DEFAULT_INTERVAL_MS = 10_000;

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
 * Logs what is left and, when HubSpot says nothing is, pauses this destination instance: the
 * next call throws a RateLimitError instead of earning a 429. Two cases need no pause: a 429
 * (the RateLimitError it becomes already makes the engine wait for Retry-After), and a window
 * that Syncline's own pacing fills exactly (see `pacedAtLimit`).
 */
export function noteLimits(ctx: DestinationContext<HubSpotConfig>, headers: Headers, status: number): void {
  const limits = readLimits(headers);
  if (limits.remaining === undefined && limits.dailyRemaining === undefined) return;
  ctx.logger.debug({ rateLimit: limits }, "hubspot rate limit");
  if (limits.dailyRemaining === 0) pause(ctx, DAILY_PAUSE_MS, true);
  else if (limits.remaining === 0 && status !== 429 && !pacedAtLimit(rateLimitFor(ctx.config), limits)) {
    pause(ctx, limits.intervalMs ?? DEFAULT_INTERVAL_MS);
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

/**
 * Throws when an earlier response used up a limit whose interval has not passed: the rate
 * limit (a wait), or the daily limit (a quota: the run leaves the rest for later).
 */
export function assertNotPaused(ctx: DestinationContext<HubSpotConfig>, now = Date.now()): void {
  const until = ctx.state.get(PAUSED_UNTIL);
  if (typeof until !== "number" || until <= now) return;
  if (ctx.state.get(PAUSED_FOR_DAILY) === true) {
    throw new QuotaExhaustedError("HubSpot reported no daily API calls left (X-HubSpot-RateLimit-Daily-Remaining: 0)", {
      quota: DAILY_QUOTA,
      fix: DAILY_FIX,
    });
  }
  throw new RateLimitError("HubSpot rate limit used up (X-HubSpot-RateLimit-Remaining: 0)", {
    retryAfterMs: until - now,
  });
}

/** The error for a 429: waits for Retry-After, else the interval HubSpot reports. */
export function rateLimitError(headers: Headers, body: unknown): SynclineError {
  const policy = (body as { policyName?: unknown } | null)?.policyName;
  const message = (body as { message?: unknown } | null)?.message;
  const detail = typeof message === "string" ? message : "rate limit exceeded";
  if (policy === "DAILY") {
    return new QuotaExhaustedError(`HubSpot refused the call: ${detail}`, {
      code: "daily_limit",
      quota: DAILY_QUOTA,
      fix: DAILY_FIX,
    });
  }
  const error = errorForStatus(429, headers, detail);
  if (error instanceof RateLimitError && error.retryAfterMs === undefined) {
    return new RateLimitError(error.message, {
      retryAfterMs: readLimits(headers).intervalMs ?? DEFAULT_INTERVAL_MS,
    });
  }
  return error;
}

function pause(ctx: DestinationContext<HubSpotConfig>, ms: number, daily = false): void {
  const until = Date.now() + ms;
  const current = ctx.state.get(PAUSED_UNTIL);
  if (typeof current !== "number" || current < until) {
    ctx.state.set(PAUSED_UNTIL, until);
    ctx.state.set(PAUSED_FOR_DAILY, daily);
  }
}
