import { SynclineError } from "./syncline-error.ts";

/**
 * The destination refused the data itself (validation error, unknown field, 4xx).
 * Thrown for a whole batch, the engine splits the batch to find the records at fault.
 */
export class PermanentError extends SynclineError {
  readonly kind = "permanent" as const;

  constructor(message: string, options: { code?: string; fix?: string; cause?: unknown } = {}) {
    super(message, { code: "rejected", ...options });
    this.name = "PermanentError";
  }
}
