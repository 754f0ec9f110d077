import { DEFAULTS } from "../../config/defaults.ts";
import type { DestinationRecord } from "../../sdk/destination.ts";
import { classify } from "../../sdk/errors/classify.ts";
import { QuotaExhaustedError } from "../../sdk/errors/quota-exhausted-error.ts";
import { RateLimitError } from "../../sdk/errors/rate-limit-error.ts";
import type { SynclineError } from "../../sdk/errors/syncline-error.ts";
import { TransientError } from "../../sdk/errors/transient-error.ts";
import type { FinalOutcome } from "../ledger/final-outcome.ts";
import { type CallOptions, callWrite, NotSent } from "./call.ts";
import { checkOutcomes } from "./outcomes.ts";
import { backoffMs, sleep } from "./sleep.ts";
import { type Halt, haltFor, requestedWaitMs, type Wait, type WaitBudget, type WaitCause } from "./waits.ts";

export interface DeliverOptions extends CallOptions {
  /** The run's wait budget, shared by all its batches. */
  budget: WaitBudget;
  /** Ends the run's sending: a quota used up, or a wait beyond the budget (then `stop` aborts). */
  halt: (halt: Halt) => void;
  /** A wait of DEFAULTS.sink.reportWaitMs or more is about to start. */
  onWait?: (wait: Wait) => void;
  /** Calls a record may take before it fails as transient (DEFAULTS.sink.maxAttempts in a run). */
  maxAttempts: number;
  random?: () => number;
}

interface Pending {
  record: DestinationRecord;
  /** Calls that carried the record (a deferred record with none was never sent). */
  attempts: number;
}

/**
 * Delivers one batch until every record has a final outcome (capability 4, within a run):
 * per-record retries with exponential backoff and jitter, `Retry-After` honoured, waits for
 * rate limits and quotas that do not use up attempts, and a batch the destination refuses as a
 * whole split in halves until the records at fault are isolated. Every wait is charged to the
 * run's budget; a wait the budget cannot cover, or a quota with no known reset, halts the run
 * and the records not settled are deferred to the next run. Configuration errors propagate:
 * nothing can succeed until the user fixes them.
 */
export async function deliver(
  records: DestinationRecord[],
  options: DeliverOptions,
): Promise<Map<string, FinalOutcome>> {
  const results = new Map<string, FinalOutcome>();
  await deliverGroup(
    records.map((record) => ({ record, attempts: 0 })),
    { ...options, onHeld: (reason, until) => heldByPause(options, reason, until) },
    results,
  );
  return results;
}

/**
 * A call waits for a pause the plugin ordered (ctx.pause), as if the destination had refused it
 * with `reason`: the wait is charged to the run and reported, once per run. A wait the budget
 * cannot cover, or a quota with no known reset, halts the run instead (the call is not made).
 */
function heldByPause(options: DeliverOptions, reason: SynclineError, until: number): void {
  if (options.budget.covers(until)) return;
  waitOut(options, reason, reason.kind === "quota" ? requestedWaitMs(reason, 0) : until - Date.now());
}

/** A rate limit or a quota holds the run's calls for `ms`: false when the run must stop instead. */
function waitOut(options: DeliverOptions, error: SynclineError, ms: number | undefined): boolean {
  if (error instanceof QuotaExhaustedError) options.destination.limiter.quotas.exhausted(error.quota, error.resetsAt);
  return hold(options, error.kind === "quota" ? "quota" : "rate_limit", error, ms);
}

async function deliverGroup(group: Pending[], options: DeliverOptions, results: Map<string, FinalOutcome>) {
  const { maxAttempts } = options;
  let pending = group;
  while (pending.length > 0) {
    if (options.stop.aborted) return defer(results, pending);
    let outcomes: unknown[];
    try {
      outcomes = await callWrite(
        pending.map((p) => p.record),
        options,
      );
    } catch (thrown) {
      if (thrown instanceof NotSent) return defer(results, pending);
      const error = classify(thrown);
      if (error.kind === "configuration") throw error;
      if (error.kind === "quota" || error instanceof RateLimitError) {
        // A rate limit or a quota refuses the call: waiting for it never uses up an attempt.
        const fallback = backoffMs(3, DEFAULTS.sink.baseBackoffMs, DEFAULTS.sink.maxBackoffMs);
        const wait = requestedWaitMs(error, fallback);
        // The destination refused the call: its records were not applied, no attempt is counted.
        if (!waitOut(options, error, wait)) return defer(results, pending);
        options.destination.limiter.pause(wait!);
        continue;
      }
      if (error.kind === "permanent") {
        if (pending.length === 1) {
          fail(results, { ...pending[0]!, attempts: pending[0]!.attempts + 1 }, error, "permanent");
          return;
        }
        const middle = Math.ceil(pending.length / 2);
        await deliverGroup(pending.slice(0, middle), options, results);
        await deliverGroup(pending.slice(middle), options, results);
        return;
      }
      pending = pending.map((p) => ({ ...p, attempts: p.attempts + 1 }));
      const after = error instanceof TransientError ? (error.retryAfterMs ?? 0) : 0;
      pending = await retryOrGiveUp(pending, error, maxAttempts, options, results, after);
      continue;
    }

    const { plugin, redact } = options.destination;
    const checked = checkOutcomes(
      plugin.name,
      pending.map((p) => p.record),
      outcomes,
      redact,
    );
    const again: Pending[] = [];
    let retryAfter = 0;
    let firstRetry: TransientError | undefined;
    for (const p of pending) {
      const attempts = p.attempts + 1;
      const outcome = checked.get(p.record.key)!;
      if (outcome.status === "ok") {
        results.set(p.record.key, { status: "ok", remoteId: outcome.remoteId, attempts });
      } else if (outcome.status === "reject") {
        const { code, message } = outcome;
        results.set(p.record.key, { status: "failed", errorClass: "permanent", code, message, attempts });
      } else {
        firstRetry ??= outcome.error;
        retryAfter = Math.max(retryAfter, outcome.error.retryAfterMs ?? 0);
        again.push({ record: p.record, attempts });
      }
    }
    pending =
      again.length > 0 ? await retryOrGiveUp(again, firstRetry!, maxAttempts, options, results, retryAfter) : [];
  }
}

/**
 * Records that used up their attempts fail; the others are retried after a backoff (at least
 * what the destination asked for), which the run's budget must cover and a stop cuts short.
 */
async function retryOrGiveUp(
  pending: Pending[],
  error: SynclineError,
  maxAttempts: number,
  options: DeliverOptions,
  results: Map<string, FinalOutcome>,
  retryAfterMs: number,
): Promise<Pending[]> {
  const keep: Pending[] = [];
  for (const p of pending) {
    if (p.attempts >= maxAttempts) fail(results, p, error, "transient");
    else keep.push(p);
  }
  if (keep.length === 0) return keep;
  const attempt = Math.min(...keep.map((p) => p.attempts));
  const wait = Math.max(
    retryAfterMs,
    backoffMs(attempt, DEFAULTS.sink.baseBackoffMs, DEFAULTS.sink.maxBackoffMs, options.random),
  );
  if (!hold(options, "retry", error, wait)) {
    defer(results, keep);
    return [];
  }
  if (retryAfterMs > 0) options.destination.limiter.pause(retryAfterMs);
  try {
    await sleep(wait, AbortSignal.any([options.signal, options.stop]));
  } catch (stopped) {
    if (!options.stop.aborted) throw stopped;
    defer(results, keep);
    return [];
  }
  return keep;
}

/**
 * Charges a wait to the run's budget and reports it when it is long. False when the run must
 * stop instead: the budget cannot cover it, or a quota does not say when it resets.
 */
function hold(options: DeliverOptions, cause: WaitCause, error: SynclineError, ms: number | undefined): boolean {
  const name = options.destination.name;
  const until = Date.now() + (ms ?? 0);
  if (ms === undefined || !options.budget.charge(until)) {
    options.halt(haltFor(error, name, options.budget, ms));
    return false;
  }
  if (ms >= DEFAULTS.sink.reportWaitMs) {
    const wait: Wait = { destination: name, cause, ms, until, message: error.describe() };
    options.logger.warn(
      { destination: name, cause, waitMs: Math.round(ms), until: new Date(until).toISOString(), reason: wait.message },
      `waiting for ${name} (${cause.replace("_", " ")})`,
    );
    options.onWait?.(wait);
  }
  return true;
}

function defer(results: Map<string, FinalOutcome>, pending: readonly Pending[]): void {
  for (const p of pending) results.set(p.record.key, { status: "deferred", attempts: p.attempts });
}

function fail(
  results: Map<string, FinalOutcome>,
  p: Pending,
  error: SynclineError,
  errorClass: "transient" | "permanent",
) {
  results.set(p.record.key, {
    status: "failed",
    errorClass,
    code: error.code,
    message: error.describe(),
    attempts: Math.max(1, p.attempts),
  });
}
