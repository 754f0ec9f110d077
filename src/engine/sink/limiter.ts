import type { RateLimit } from "../../sdk/destination.ts";
import type { SynclineError } from "../../sdk/errors/syncline-error.ts";
import { CallWindow } from "./call-window.ts";
import { QuotaState } from "./quota-state.ts";
import { sleep } from "./sleep.ts";

export interface LimiterStats {
  /** Calls that had to wait for the pacing or a pause. */
  waits: number;
  /** Pauses ordered by the destination (429 / Retry-After) or by its plugin (ctx.pause). */
  pauses: number;
}

/** Told that a call waits for a pause the plugin ordered, until `until` (epoch ms). */
export type OnHeld = (reason: SynclineError, until: number) => void;

/**
 * The pacing of one destination instance (one account), shared by every sync that writes
 * to it: at most `concurrency` calls in flight, at most `requests` per `windowMs` (a rolling
 * window in which a call counts from when it starts until a window after it ended, so the
 * destination, which counts a call when it arrives, never sees more), and a shared pause when
 * the destination answers 429 with `Retry-After`, so no other call walks into the same wall.
 * A pause the plugin orders (`ctx.pause`) carries its reason: a call held by it tells its caller
 * (`onHeld`, which charges the wait to its run), and a caller that cannot is refused with it.
 */
export class DestinationLimiter {
  readonly stats: LimiterStats = { waits: 0, pauses: 0 };
  /** The destination's quotas as its answers showed them (for the metrics). */
  readonly quotas = new QuotaState();
  private readonly window: CallWindow | undefined;
  private readonly concurrency: number;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;
  /** Why the pause in force was ordered, when the plugin ordered it. */
  private reason: SynclineError | undefined;

  constructor(options: { rateLimit?: RateLimit | undefined; concurrency: number }) {
    this.concurrency = Math.max(1, options.concurrency);
    const limit = options.rateLimit;
    // Counting a call until a window after its answer already covers any delay on the way, so
    // the only margin is 1 ms, for a destination that counts a call exactly a window old.
    if (limit) this.window = new CallWindow(limit.requests, limit.windowMs + 1);
  }

  /** Runs `fn` when a concurrency slot and a rate slot are free and no pause is in force. */
  async schedule<T>(fn: () => Promise<T>, signal?: AbortSignal, onHeld?: OnHeld): Promise<T> {
    await this.acquire(signal);
    try {
      for (;;) {
        await this.waitForPause(signal, onHeld);
        if (this.window) await this.window.take(signal, () => this.stats.waits++);
        if (this.pausedUntil > Date.now()) {
          // A pause came while this call waited for its slot: it did not start, so it uses no slot.
          this.window?.cancel();
          continue;
        }
        try {
          return await fn();
        } finally {
          this.window?.finish();
        }
      }
    } finally {
      this.release();
    }
  }

  /** Holds every call on this destination until `ms` from now; `reason`: the plugin ordered it. */
  pause(ms: number, reason?: SynclineError): void {
    this.stats.pauses++;
    const until = Date.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.reason = reason;
  }

  private async waitForPause(signal?: AbortSignal, onHeld?: OnHeld): Promise<void> {
    for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) {
      if (this.reason && !onHeld) throw this.reason;
      if (this.reason) onHeld?.(this.reason, this.pausedUntil);
      this.stats.waits++;
      await sleep(wait, signal);
    }
  }

  private async acquire(signal?: AbortSignal): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
