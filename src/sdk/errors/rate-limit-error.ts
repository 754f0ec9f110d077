import { TransientError, type TransientErrorOptions } from "./transient-error.ts";

/**
 * The destination refused the call because of its rate limit (HTTP 429 or its equivalent).
 * Waiting for a rate limit never uses up one of a record's attempts.
 */
export class RateLimitError extends TransientError {
  constructor(message: string, options: TransientErrorOptions = {}) {
    super(message, { code: "rate_limited", ...options });
    this.name = "RateLimitError";
  }
}
