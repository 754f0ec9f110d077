/** A failure a fake answers with instead of handling the request. */
export interface Fault {
  /** HTTP status to answer with, for example 503 or 429. */
  status: number;
  /** How many matching requests get this fault (default 1). */
  times?: number;
  /** Response body; the fake renders its vendor's error body when omitted. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Only requests this returns true for (default: every request). */
  match?: (request: Request) => boolean;
}

/** Faults queued by a test, consumed in order by matching requests. */
export class FaultQueue {
  #faults: Array<{ fault: Fault; left: number }> = [];

  add(fault: Fault): void {
    this.#faults.push({ fault, left: fault.times ?? 1 });
  }

  /** The next fault for this request, if any (and uses it up). */
  take(request: Request): Fault | undefined {
    const entry = this.#faults.find((item) => item.left > 0 && (item.fault.match?.(request) ?? true));
    if (!entry) return undefined;
    entry.left--;
    this.#faults = this.#faults.filter((item) => item.left > 0);
    return entry.fault;
  }

  get pending(): number {
    return this.#faults.reduce((sum, item) => sum + item.left, 0);
  }

  clear(): void {
    this.#faults = [];
  }
}

/** Waits `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
