import * as v from "valibot";

/** A whole number of 1 or more: a count, a size, milliseconds. */
export const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));

/** A pacing option: at most `requests` calls per `windowMs`. */
export const rateLimitOption = v.object({ requests: positiveInteger, windowMs: positiveInteger });

export interface HttpOptionDefaults {
  baseUrl: string;
  concurrency: number;
  timeoutMs: number;
}

/**
 * The options every HTTP destination takes besides its own, spread into its config object:
 * `baseUrl` (a regional endpoint, a proxy or a fake), `rateLimit` (a pacing override for every
 * sync that uses the destination), `concurrency` (calls in flight) and `timeoutMs` (per call).
 * Declare them in the capabilities (`rateLimit`, `concurrency`, `timeoutMs`) so the engine applies them.
 */
export function httpDestinationOptions(defaults: HttpOptionDefaults) {
  return {
    baseUrl: v.optional(v.pipe(v.string(), v.url("baseUrl must be a URL")), defaults.baseUrl),
    rateLimit: v.optional(rateLimitOption),
    concurrency: v.optional(positiveInteger, defaults.concurrency),
    timeoutMs: v.optional(positiveInteger, defaults.timeoutMs),
  };
}
