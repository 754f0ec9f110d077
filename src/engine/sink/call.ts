import type { DestinationRecord, Operation } from "../../sdk/destination.ts";
import { classify } from "../../sdk/errors/classify.ts";
import type { SynclineError } from "../../sdk/errors/syncline-error.ts";
import { TransientError } from "../../sdk/errors/transient-error.ts";
import type { Logger } from "../../sdk/logger.ts";
import { redactError } from "../ledger/redact-error.ts";
import { bindContext } from "../shared/tracing.ts";
import { contextFor, type DestinationHandle } from "./destination-handle.ts";
import { Inspection, type InspectTarget } from "./inspector.ts";
import type { OnHeld } from "./limiter.ts";

export interface CallOptions {
  destination: DestinationHandle;
  object: string;
  operation: Operation;
  options: Record<string, unknown>;
  logger: Logger;
  /** Aborts calls in flight (shutdown past its grace); cancelling a run does not use it. */
  signal: AbortSignal;
  /** Stops waiting for a slot or a pause (cancel, shutdown, a halted run): the call is not made. */
  stop: AbortSignal;
  onCall?: (info: { records: number; ms: number; error?: SynclineError }) => void;
  /** The call waits for a pause the plugin ordered (ctx.pause): charge it, or halt the run. */
  onHeld?: OnHeld | undefined;
  /** Record the call in the API inspector; `bytesPerRecord` estimates a non-HTTP call's size. */
  inspect?: (InspectTarget & { bytesPerRecord: number }) | undefined;
}

/** The run stopped while this call waited for its turn: the destination never saw it. */
export class NotSent extends Error {
  constructor() {
    super("the run stopped before this call was made");
    this.name = "NotSent";
  }
}

/**
 * One `write` call, paced by the destination's limiter, bounded by its timeout even if the
 * plugin ignores its signal. What the plugin throws is classified and, since a destination's
 * words may echo a credential, masked here, once, before the ledger, the run or a log sees it.
 */
export async function callWrite(records: DestinationRecord[], options: CallOptions): Promise<unknown[]> {
  const { destination } = options;
  const { timeoutMs } = destination.capabilities;
  let made = false;
  try {
    return await destination.limiter.schedule(
      // The limiter may start the call from another batch's turn: it keeps this batch's span.
      bindContext(async () => {
        made = true;
        const signal = AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]);
        const started = performance.now();
        const inspection = options.inspect && new Inspection(options.inspect);
        const finish = (error?: SynclineError) =>
          inspection?.finish({
            method: options.operation,
            object: options.object,
            ms: performance.now() - started,
            requestBytes: Math.round(records.length * options.inspect!.bytesPerRecord),
            error,
          });
        const startedAt = Date.now();
        try {
          const ctx = contextFor(destination, options.logger, signal, inspection && ((next) => inspection.wrap(next)));
          const write = destination.plugin.write(ctx, {
            object: options.object,
            operation: options.operation,
            records,
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
          options.onCall?.({ records: records.length, ms: performance.now() - started });
          finish();
          if (!Array.isArray(outcomes)) {
            throw new TransientError(
              `the ${destination.plugin.name} plugin's write() did not return an array of outcomes`,
              { code: "malformed_outcome" },
            );
          }
          // A call that started after a quota refusal and was accepted: the quota is back.
          destination.limiter.quotas.accepted(startedAt);
          return outcomes;
        } catch (thrown) {
          const error = redactError(classify(thrown), destination.redact);
          options.onCall?.({ records: records.length, ms: performance.now() - started, error });
          finish(error);
          throw error;
        }
      }),
      AbortSignal.any([options.signal, options.stop]),
      options.onHeld,
    );
  } catch (error) {
    if (!made && options.stop.aborted) throw new NotSent();
    throw error;
  }
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
