import { type DestinationContext, RateLimitError } from "syncline/sdk";
import type { IntercomConfig } from "./config.ts";

const PAUSED_UNTIL = "intercom.pausedUntil";

/**
 * Reads `X-RateLimit-Limit/Remaining/Reset`; when nothing remains, pauses this destination
 * instance until the reset so the next call throws instead of earning a 429.
 */
export function noteLimits(ctx: DestinationContext<IntercomConfig>, headers: Headers): void {
  const remaining = headers.get("x-ratelimit-remaining");
  if (remaining === null) return;
  const reset = Number(headers.get("x-ratelimit-reset"));
  ctx.logger.debug({ limit: headers.get("x-ratelimit-limit"), remaining, reset }, "intercom rate limit");
  if (Number(remaining) === 0 && Number.isFinite(reset) && reset > 0) {
    const until = reset * 1000;
    const current = ctx.state.get(PAUSED_UNTIL);
    if (typeof current !== "number" || current < until) ctx.state.set(PAUSED_UNTIL, until);
  }
}

export function assertNotPaused(ctx: DestinationContext<IntercomConfig>, now = Date.now()): void {
  const until = ctx.state.get(PAUSED_UNTIL);
  if (typeof until === "number" && until > now) {
    throw new RateLimitError("Intercom rate limit used up (X-RateLimit-Remaining: 0)", { retryAfterMs: until - now });
  }
}
