import type { DestinationContext } from "syncline/sdk";
import type { IntercomConfig } from "./config.ts";

/**
 * Reads `X-RateLimit-Limit/Remaining/Reset`; when nothing remains, pauses this destination
 * until the reset, so the engine holds the next calls instead of letting them earn a 429.
 */
export function noteLimits(ctx: DestinationContext<IntercomConfig>, headers: Headers, now = Date.now()): void {
  const remaining = headers.get("x-ratelimit-remaining");
  if (remaining === null) return;
  const reset = Number(headers.get("x-ratelimit-reset"));
  ctx.logger.debug({ limit: headers.get("x-ratelimit-limit"), remaining, reset }, "intercom rate limit");
  if (Number(remaining) === 0 && Number.isFinite(reset) && reset * 1000 > now) {
    ctx.pause(reset * 1000 - now, "Intercom rate limit used up (X-RateLimit-Remaining: 0)");
  }
}
