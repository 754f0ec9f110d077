import { ConfigurationError } from "./configuration-error.ts";
import { PermanentError } from "./permanent-error.ts";
import { RateLimitError } from "./rate-limit-error.ts";
import type { SynclineError } from "./syncline-error.ts";
import { TransientError } from "./transient-error.ts";

/** How one API words what the status table decides (the class stays the table's). */
export interface StatusWording {
  /** A 429 that names no wait (no Retry-After, no reset header) waits this long: the API's documented window. */
  rateLimitWaitMs?: number | undefined;
  /**
   * A refused credential (401, 403), by status: the message's start ("HubSpot refused the
   * access token"), the config option at fault and what to do. A status not listed gets the
   * generic wording.
   */
  refused?: Partial<Record<401 | 403, Refusal>> | undefined;
}

export interface Refusal {
  message: string;
  path?: string | undefined;
  fix: string;
}

/**
 * The one place that maps an HTTP status to what to do about it.
 * 408, 425, 429, 5xx: transient. 401, 403: configuration (credentials). Other 4xx: permanent.
 */
export function errorForStatus(
  status: number,
  headers: Headers | undefined,
  detail: string,
  wording: StatusWording = {},
): SynclineError {
  const message = `HTTP ${status}${detail ? `: ${detail}` : ""}`;
  if (status === 429) {
    return new RateLimitError(message, { retryAfterMs: retryAfterMs(headers) ?? wording.rateLimitWaitMs });
  }
  if (status === 408 || status === 425 || status >= 500) {
    return new TransientError(message, { code: `http_${status}`, retryAfterMs: retryAfterMs(headers) });
  }
  if (status === 401 || status === 403) {
    const refusal = wording.refused?.[status];
    return new ConfigurationError(refusal ? `${refusal.message} (${message})` : message, {
      code: `http_${status}`,
      fix: refusal?.fix ?? "check the destination's credentials and their permissions",
      ...(refusal?.path ? { path: refusal.path } : {}),
    });
  }
  return new PermanentError(message, { code: `http_${status}` });
}

/** Reads `Retry-After` (seconds or HTTP date) and the common rate-limit reset headers. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  for (const name of ["x-ratelimit-reset", "ratelimit-reset", "x-rate-limit-reset"]) {
    const value = Number(headers.get(name));
    if (!headers.has(name) || !Number.isFinite(value)) continue;
    // Large values are Unix timestamps (seconds); small ones are delays in seconds.
    return value > 1e9 ? Math.max(0, value * 1000 - now) : Math.max(0, value * 1000);
  }
  return undefined;
}
