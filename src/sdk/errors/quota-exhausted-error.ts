import { SynclineError, type SynclineErrorOptions } from "./syncline-error.ts";

export interface QuotaExhaustedErrorOptions extends SynclineErrorOptions {
  /** What is used up, for people: for example "daily API requests". */
  quota?: string;
  /** When the quota is back, if the destination says (or it can be known). */
  resetsAt?: Date;
}

/**
 * A quota the destination counts over hours or days (a daily API allocation) is used up:
 * unlike a rate limit, waiting seconds does not help. The engine waits only if `resetsAt` is
 * known and falls within the run's wait budget; otherwise it ends the run as `partial`,
 * leaving every record not yet sent for the next run (nothing is lost, no attempt is used).
 * Throw it for a call the destination refused (none of its records applied); a quota met after
 * the destination may have acted on the records (a submitted bulk job) is a TransientError.
 */
export class QuotaExhaustedError extends SynclineError {
  readonly kind = "quota" as const;
  readonly quota: string;
  readonly resetsAt: Date | undefined;

  constructor(message: string, options: QuotaExhaustedErrorOptions = {}) {
    super(message, { code: "quota_exhausted", ...options });
    this.name = "QuotaExhaustedError";
    this.quota = options.quota ?? "API quota";
    this.resetsAt = options.resetsAt;
  }
}
