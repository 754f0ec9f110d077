/**
 * A record's final outcome in one run: what the sink hands the ledger to commit (commit.ts).
 * It lives here, with its consumer, so the ledger needs nothing from the sink that calls it.
 */
export type FinalOutcome =
  | { status: "ok"; remoteId?: string | undefined; attempts: number }
  | { status: "failed"; errorClass: "transient" | "permanent"; code: string; message: string; attempts: number }
  /** Not settled: the run stopped sending (a quota, its wait budget, cancel, shutdown). Sent next run. */
  | { status: "deferred"; attempts: number };
