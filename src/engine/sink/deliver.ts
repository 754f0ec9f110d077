import { DEFAULTS } from "../../config/defaults.ts";
import type { DestinationRecord, Operation } from "../../sdk/destination.ts";
import { classify } from "../../sdk/errors/classify.ts";
import { RateLimitError } from "../../sdk/errors/rate-limit-error.ts";
import type { SynclineError } from "../../sdk/errors/syncline-error.ts";
import { TransientError } from "../../sdk/errors/transient-error.ts";
import type { Logger } from "../../sdk/logger.ts";
import { redactError } from "../redact-error.ts";
import { contextFor, type DestinationHandle } from "./destination-handle.ts";
import { checkOutcomes } from "./outcomes.ts";
import { backoffMs, sleep } from "./sleep.ts";

export type FinalOutcome =
  | { status: "ok"; remoteId?: string | undefined; attempts: number }
  | { status: "failed"; errorClass: "transient" | "permanent"; code: string; message: string; attempts: number };

export interface DeliverOptions {
  destination: DestinationHandle;
  object: string;
  operation: Operation;
  options: Record<string, unknown>;
  logger: Logger;
  /** Aborts calls in flight (shutdown past its grace); cancelling a run does not use it. */
  signal: AbortSignal;
  maxAttempts?: number;
  random?: () => number;
  onCall?: (info: { records: number; ms: number; error?: SynclineError }) => void;
}

interface Pending {
  record: DestinationRecord;
  attempts: number;
}

/**
 * Delivers one batch until every record has a final outcome (capability 4, within a run):
 * per-record retries with exponential backoff and jitter, `Retry-After` honoured, waits for
 * rate limits that do not use up attempts, and a batch the destination refuses as a whole
 * split in halves until the records at fault are isolated. Configuration errors propagate:
 * nothing can succeed until the user fixes them.
 */
export async function deliver(
  records: DestinationRecord[],
  options: DeliverOptions,
): Promise<Map<string, FinalOutcome>> {
  const results = new Map<string, FinalOutcome>();
  await deliverGroup(
    records.map((record) => ({ record, attempts: 0 })),
    options,
    results,
    { waitedMs: 0 },
  );
  return results;
}

async function deliverGroup(
  group: Pending[],
  options: DeliverOptions,
  results: Map<string, FinalOutcome>,
  budget: { waitedMs: number },
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? DEFAULTS.sink.maxAttempts;
  let pending = group;
  while (pending.length > 0) {
    let outcomes: unknown[];
    try {
      outcomes = await call(pending, options);
    } catch (thrown) {
      const error = classify(thrown);
      if (error.kind === "configuration") throw error;
      if (error instanceof RateLimitError) {
        const wait = error.retryAfterMs ?? backoffMs(3, DEFAULTS.sink.baseBackoffMs, DEFAULTS.sink.maxBackoffMs);
        budget.waitedMs += wait;
        if (budget.waitedMs > DEFAULTS.sink.maxRateLimitWaitMs) {
          for (const p of pending) fail(results, p, error, "transient");
          return;
        }
        options.destination.limiter.pause(wait);
        continue; // a rate-limit wait does not use up an attempt
      }
      if (error.kind === "permanent") {
        if (pending.length === 1) {
          fail(results, { ...pending[0]!, attempts: pending[0]!.attempts + 1 }, error, "permanent");
          return;
        }
        const middle = Math.ceil(pending.length / 2);
        await deliverGroup(pending.slice(0, middle), options, results, budget);
        await deliverGroup(pending.slice(middle), options, results, budget);
        return;
      }
      pending = pending.map((p) => ({ ...p, attempts: p.attempts + 1 }));
      const after = error instanceof TransientError ? (error.retryAfterMs ?? 0) : 0;
      pending = await retryOrGiveUp(pending, error, maxAttempts, options, results, after);
      continue;
    }

    const { plugin, redact } = options.destination;
    const checked = checkOutcomes(plugin.name, records(pending), outcomes, redact);
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
  if (keep.length > 0) {
    const attempt = Math.min(...keep.map((p) => p.attempts));
    const wait = Math.max(
      retryAfterMs,
      backoffMs(attempt, DEFAULTS.sink.baseBackoffMs, DEFAULTS.sink.maxBackoffMs, options.random),
    );
    if (retryAfterMs > 0) options.destination.limiter.pause(retryAfterMs);
    await sleep(wait, options.signal);
  }
  return keep;
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

async function call(pending: Pending[], options: DeliverOptions): Promise<unknown[]> {
  const { destination } = options;
  const timeoutMs = destination.capabilities.timeoutMs ?? DEFAULTS.sink.timeoutMs;
  const batch = records(pending);
  return destination.limiter.schedule(async () => {
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]);
    const started = performance.now();
    try {
      const ctx = contextFor(destination, options.logger, signal);
      const write = destination.plugin.write(ctx, {
        object: options.object,
        operation: options.operation,
        records: batch,
        options: options.options,
      });
      // A plugin that ignores its signal must not hang the run: the timeout wins the race.
      const aborted = rejectOnAbort(signal, timeoutMs);
      let outcomes: unknown;
      try {
        outcomes = await Promise.race([write, aborted.promise]);
      } finally {
        // The listener would keep the settled race, and through it the batch's outcomes, alive
        // as long as the signal lives: 1M outcomes (97 MB) after a 1M-row run (bench/delta).
        aborted.dispose();
      }
      options.onCall?.({ records: batch.length, ms: performance.now() - started });
      if (!Array.isArray(outcomes)) {
        throw new TransientError(
          `the ${destination.plugin.name} plugin's write() did not return an array of outcomes`,
          {
            code: "malformed_outcome",
          },
        );
      }
      return outcomes;
    } catch (thrown) {
      // The destination's words enter here: masked once, before the ledger, the run or a log.
      const error = redactError(classify(thrown), destination.redact);
      options.onCall?.({ records: batch.length, ms: performance.now() - started, error });
      throw error;
    }
  }, options.signal);
}

function records(pending: readonly Pending[]): DestinationRecord[] {
  return pending.map((p) => p.record);
}

function rejectOnAbort(signal: AbortSignal, timeoutMs: number): { promise: Promise<never>; dispose(): void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => {
      const reason = signal.reason as Error | undefined;
      reject(
        reason?.name === "TimeoutError"
          ? new TransientError(`the destination call took longer than ${timeoutMs} ms`, { code: "timeout" })
          : reason,
      );
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}
