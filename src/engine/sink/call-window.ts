/**
 * At most `requests` calls in any rolling window of `windowMs`, counted so that the
 * destination can never see more: a call counts from when it starts (it may arrive at once)
 * until `windowMs` after it ended (it may have arrived just before its answer). Counting from
 * the start alone is not enough: the first call on a new connection spends longer on the way
 * (connection set-up) than the calls after it, so calls started a window apart can arrive less
 * than a window apart. Waiting calls are served in order.
 *
 * Written here instead of using p-throttle: p-throttle (strict mode) stamps a call when it
 * starts, and against the HubSpot fake at 20 requests/s that produced 429s its own pacing
 * should have avoided (7 per 10,000 records) and 55.6% of the ceiling once a safety margin hid
 * them; this window reaches 97.6–98.2% with none (bench/pacing.ts, limiter.test.ts).
 */
export class CallWindow {
  private readonly requests: number;
  private readonly windowMs: number;
  private inFlight = 0;
  /** When each ended call stops counting, in ascending order (calls end in time order). */
  private readonly ended: number[] = [];
  private readonly waiting: Array<() => boolean> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(requests: number, windowMs: number) {
    this.requests = Math.max(1, requests);
    this.windowMs = windowMs;
  }

  /** Waits for a slot and counts the call as started; `onWait` is called when it has to wait. */
  take(signal?: AbortSignal, onWait?: () => void): Promise<void> {
    if (this.waiting.length === 0 && this.tryTake()) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    onWait?.();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      const grant = () => {
        if (!this.tryTake()) return false;
        signal?.removeEventListener("abort", onAbort);
        resolve();
        return true;
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(grant);
      this.wake();
    });
  }

  /** The call ended: it keeps counting for one window from now. */
  finish(): void {
    this.inFlight--;
    this.ended.push(performance.now() + this.windowMs);
    this.wake();
  }

  /** The slot was taken but the call never started: it does not count. */
  cancel(): void {
    this.inFlight--;
    this.wake();
  }

  private tryTake(): boolean {
    const now = performance.now();
    while (this.ended.length > 0 && this.ended[0]! <= now) this.ended.shift();
    if (this.inFlight + this.ended.length >= this.requests) return false;
    this.inFlight++;
    return true;
  }

  private wake(): void {
    while (this.waiting.length > 0 && this.waiting[0]!()) this.waiting.shift();
    if (this.waiting.length === 0 || this.timer || this.ended.length === 0) return;
    // Every slot is taken; the earliest one frees when its call stops counting.
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.wake();
      },
      Math.max(0, Math.ceil(this.ended[0]! - performance.now())),
    );
  }
}
