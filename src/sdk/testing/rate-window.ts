export interface WindowDecision {
  allowed: boolean;
  /** Requests left in the window after this one. */
  remaining: number;
  /** When the caller may try again (0 when allowed). */
  retryAfterMs: number;
  /** Epoch ms when the current window ends or the oldest request leaves it. */
  resetAt: number;
}

export interface RateWindow {
  readonly requests: number;
  readonly windowMs: number;
  take(now?: number): WindowDecision;
  reset(): void;
}

/** At most `requests` in any `windowMs` (a rolling window, like HubSpot's ten-secondly limit). */
export function slidingWindow(requests: number, windowMs: number): RateWindow {
  let stamps: number[] = [];
  let head = 0;
  return {
    requests,
    windowMs,
    take(now = Date.now()) {
      while (head < stamps.length && (stamps[head] ?? 0) <= now - windowMs) head++;
      if (head > 1024 && head * 2 > stamps.length) {
        stamps = stamps.slice(head);
        head = 0;
      }
      const used = stamps.length - head;
      if (used >= requests) {
        const oldest = stamps[head] ?? now;
        return { allowed: false, remaining: 0, retryAfterMs: oldest + windowMs - now, resetAt: oldest + windowMs };
      }
      stamps.push(now);
      const oldest = stamps[head] ?? now;
      return { allowed: true, remaining: requests - used - 1, retryAfterMs: 0, resetAt: oldest + windowMs };
    },
    reset() {
      stamps = [];
      head = 0;
    },
  };
}

/** At most `requests` per clock-aligned window (like Intercom's 10-second periods). */
export function fixedWindow(requests: number, windowMs: number): RateWindow {
  let start = 0;
  let used = 0;
  return {
    requests,
    windowMs,
    take(now = Date.now()) {
      const current = now - (now % windowMs);
      if (current !== start) {
        start = current;
        used = 0;
      }
      const resetAt = start + windowMs;
      if (used >= requests) return { allowed: false, remaining: 0, retryAfterMs: resetAt - now, resetAt };
      used++;
      return { allowed: true, remaining: requests - used, retryAfterMs: 0, resetAt };
    },
    reset() {
      start = 0;
      used = 0;
    },
  };
}
