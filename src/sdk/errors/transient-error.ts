import { SynclineError, type SynclineErrorOptions } from "./syncline-error.ts";

export interface TransientErrorOptions extends SynclineErrorOptions {
  /** The destination said when to come back (for example from `Retry-After`). */
  retryAfterMs?: number;
}

/** A failure that may succeed if tried again: 5xx, timeouts, dropped connections. */
export class TransientError extends SynclineError {
  readonly kind = "transient" as const;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: TransientErrorOptions = {}) {
    super(message, { code: "transient", ...options });
    this.name = "TransientError";
    this.retryAfterMs = options.retryAfterMs;
  }
}
