import { type DestinationContext, RateLimitError } from "syncline/sdk";
import { type BrazeConfig, deleteRateLimit } from "./config.ts";

const DELETE_WINDOW = "braze.deleteWindow";

/**
 * Reads `X-RateLimit-Remaining/Reset` (Braze sends them on every answer, per endpoint's limit).
 * When nothing remains before a reset, pauses this destination until then, so the engine holds
 * the next calls instead of letting them earn a 429. A 429 needs no pause: the RateLimitError it
 * becomes already holds the calls.
 */
export function noteLimits(
  ctx: DestinationContext<BrazeConfig>,
  path: string,
  headers: Headers,
  status: number,
  now = Date.now(),
): void {
  const remaining = headers.get("x-ratelimit-remaining");
  if (remaining === null || status === 429) return;
  const reset = Number(headers.get("x-ratelimit-reset"));
  ctx.logger.debug({ path, limit: headers.get("x-ratelimit-limit"), remaining, reset }, "braze rate limit");
  if (Number(remaining) === 0 && Number.isFinite(reset) && reset * 1000 > now) {
    ctx.pause(reset * 1000 - now, `Braze rate limit of ${path} used up (X-RateLimit-Remaining: 0)`);
  }
}

interface Window {
  start: number;
  used: number;
}

/**
 * `/users/delete` has its own, lower limit than the `/users/track` pace the engine keeps, so
 * deletes take a slot of their own window first (shared by every sync of this destination);
 * a full window throws a RateLimitError that waits for the next.
 */
export function takeDeleteSlot(ctx: DestinationContext<BrazeConfig>, now = Date.now()): void {
  const limit = deleteRateLimit(ctx.config);
  let window = ctx.state.get(DELETE_WINDOW) as Window | undefined;
  if (!window || now - window.start >= limit.windowMs) {
    window = { start: now, used: 0 };
    ctx.state.set(DELETE_WINDOW, window);
  }
  if (window.used >= limit.requests) {
    throw new RateLimitError(
      `Syncline's pace for Braze /users/delete is used up (${limit.requests} per ${limit.windowMs} ms)`,
      {
        retryAfterMs: window.start + limit.windowMs - now,
      },
    );
  }
  window.used++;
}
