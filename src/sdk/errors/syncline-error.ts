/**
 * Every error Syncline raises or understands is one of four kinds, sorted by what to do:
 * - `transient`: try again (the same call, later);
 * - `permanent`: this record (or batch) will not succeed as it is; reject it with the reason;
 * - `configuration`: the run cannot proceed; fail it with a message that says what to fix;
 * - `quota`: a quota counted over hours or days is used up; stop sending, leave the rest for
 *   the next run (QuotaExhaustedError).
 */
export type ErrorKind = "transient" | "permanent" | "configuration" | "quota";

export interface SynclineErrorOptions {
  /** A short machine-readable code, for example `rate_limited` or `INVALID_EMAIL`. */
  code?: string;
  /** What the user should do about it. Shown after the message. */
  fix?: string;
  cause?: unknown;
}

export abstract class SynclineError extends Error {
  abstract readonly kind: ErrorKind;
  readonly code: string;
  readonly fix: string | undefined;

  constructor(message: string, options: SynclineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? "error";
    this.fix = options.fix;
  }

  /** The message with its fix, for people. */
  describe(): string {
    return this.fix ? `${this.message} — ${this.fix}` : this.message;
  }
}

export function isSynclineError(error: unknown): error is SynclineError {
  return error instanceof SynclineError;
}
