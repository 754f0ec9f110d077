import { describe, expect, it } from "vitest";
import { seeded } from "../../../test/support/random.ts";
import { CallWindow } from "./call-window.ts";
import { DestinationLimiter } from "./limiter.ts";
import { sleep } from "./sleep.ts";

/** Most arrivals in any window of `windowMs` (a window holds arrivals at t with start <= t < start + windowMs). */
function busiestWindow(arrivals: number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let head = 0, tail = 0; tail < sorted.length; tail++) {
    while (sorted[tail]! - sorted[head]! >= windowMs) head++;
    most = Math.max(most, tail - head + 1);
  }
  return most;
}

describe("DestinationLimiter", () => {
  it("never lets a destination that counts calls on arrival see more than the limit in a window", async () => {
    const random = seeded(7);
    const limiter = new DestinationLimiter({ rateLimit: { requests: 3, windowMs: 60 }, concurrency: 3 });
    const arrivals: number[] = [];
    const call = async (index: number) => {
      // A call arrives somewhere between its start and its answer: the first ones late (a new
      // connection), the later ones early; one destination answer orders a pause.
      const duration = index < 3 ? 30 : 2 + random() * 10;
      await limiter.schedule(async () => {
        const lag = index < 3 ? duration : random() * duration;
        await sleep(lag);
        arrivals.push(performance.now());
        await sleep(duration - lag);
        if (index === 7) limiter.pause(40);
      });
    };
    await Promise.all(Array.from({ length: 15 }, (_, index) => call(index)));
    expect(arrivals).toHaveLength(15);
    expect(busiestWindow(arrivals, 60)).toBeLessThanOrEqual(3);
    expect(limiter.stats.pauses).toBe(1);
    expect(limiter.stats.waits).toBeGreaterThan(0);
  });

  it("runs calls without pacing when no rate limit is declared, within the concurrency", async () => {
    const limiter = new DestinationLimiter({ concurrency: 2 });
    let active = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        limiter.schedule(async () => {
          most = Math.max(most, ++active);
          await sleep(5);
          active--;
        }),
      ),
    );
    expect(most).toBe(2);
  });
});

describe("CallWindow", () => {
  it("counts a call until a window after it ended, and a cancelled slot not at all", async () => {
    const window = new CallWindow(1, 40);
    await window.take();
    let second = false;
    const waiting = window.take().then(() => {
      second = true;
    });
    await sleep(60);
    expect(second).toBe(false); // the first call is still in flight, however long ago it started
    const ended = performance.now();
    window.finish();
    await waiting;
    expect(performance.now() - ended).toBeGreaterThanOrEqual(39);
    window.cancel();
    await window.take(); // the cancelled slot is free at once
  });

  it("serves waiting calls in order and drops one whose signal aborts", async () => {
    const window = new CallWindow(1, 10);
    await window.take();
    const order: string[] = [];
    const abort = new AbortController();
    const first = window.take().then(() => order.push("first"));
    const dropped = window.take(abort.signal).catch((error: unknown) => order.push(`dropped:${String(error)}`));
    const last = window.take().then(() => order.push("last"));
    abort.abort("stop");
    window.finish();
    await first;
    window.finish();
    await Promise.all([dropped, last]);
    expect(order).toEqual(["dropped:stop", "first", "last"]);
  });
});
