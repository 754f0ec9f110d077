import { TransientError } from "../../sdk/errors/transient-error.ts";

/** Too many runs are waiting; the caller should try again later. */
export class QueueFullError extends TransientError {
  constructor(limit: number) {
    super(`${limit} runs are already queued`, { code: "queue_full", retryAfterMs: 30_000, fix: "try again later" });
    this.name = "QueueFullError";
  }
}
