import { describe, expect, it } from "vitest";
import { resolveCapabilities } from "../../config/resolve.ts";
import { type DestinationDefinition, defineDestination, type Outcome } from "../../sdk/destination.ts";
import { QuotaExhaustedError } from "../../sdk/errors/quota-exhausted-error.ts";
import { createHttpClient } from "../../sdk/http.ts";
import { silentLogger } from "../../sdk/logger.ts";
import { ok } from "../../sdk/outcomes.ts";
import { noRedaction } from "../ledger/redact-error.ts";
import { deliver } from "./deliver.ts";
import type { DestinationHandle } from "./destination-handle.ts";
import { DestinationLimiter } from "./limiter.ts";
import { type Halt, type Wait, WaitBudget } from "./waits.ts";

/** A destination whose first answer says its limit is used up: its plugin calls ctx.pause. */
function pausingDestination(ms: number, reason: string | QuotaExhaustedError) {
  const calls: number[] = [];
  const capabilities = resolveCapabilities({ operations: ["upsert"], maxRecords: 10 });
  const plugin = defineDestination<unknown>({
    name: "pausing",
    config: undefined as never,
    capabilities,
    check: async () => {},
    write: async (ctx, batch): Promise<Outcome[]> => {
      calls.push(Date.now());
      if (calls.length === 1) ctx.pause(ms, reason);
      return batch.records.map((record) => ok(record));
    },
  });
  const handle: DestinationHandle = {
    name: "pausing",
    plugin: plugin as DestinationDefinition<unknown>,
    config: {},
    capabilities,
    limiter: new DestinationLimiter({ concurrency: 2 }),
    state: new Map(),
    baseDir: ".",
    http: (signal) => createHttpClient({ signal, timeoutMs: capabilities.timeoutMs }),
    redact: noRedaction,
  };
  return { handle, calls };
}

function run(handle: DestinationHandle, budgetMs = 60_000) {
  const stopping = new AbortController();
  const halts: Halt[] = [];
  const waits: Wait[] = [];
  const budget = new WaitBudget(budgetMs);
  const send = (key: string) =>
    deliver([{ key, keyValues: { id: key }, fields: {} }], {
      destination: handle,
      object: "people",
      operation: "upsert",
      maxAttempts: 3,
      options: {},
      logger: silentLogger,
      signal: new AbortController().signal,
      stop: stopping.signal,
      budget,
      halt: (halt) => {
        halts.push(halt);
        stopping.abort();
      },
      onWait: (wait) => waits.push(wait),
    });
  return { send, halts, waits, budget };
}

describe("a pause the plugin orders (ctx.pause)", () => {
  it("holds the destination's next call, charged to the run's wait budget", async () => {
    const { handle, calls } = pausingDestination(300, "limit used up (Remaining: 0)");
    const { send, halts, budget } = run(handle);
    expect((await send("1")).get("1")).toMatchObject({ status: "ok" });
    expect((await send("2")).get("2")).toMatchObject({ status: "ok" });
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(250);
    expect(budget.spentMs).toBeGreaterThanOrEqual(250);
    expect(halts).toEqual([]);
    expect(handle.limiter.stats.pauses).toBe(1);
  });

  it("ends the run when the wait is beyond its budget: the held records are deferred, not sent", async () => {
    const { handle, calls } = pausingDestination(10_000, "limit used up (Remaining: 0)");
    const { send, halts } = run(handle, 1_000);
    await send("1");
    expect((await send("2")).get("2")).toEqual({ status: "deferred", attempts: 0 });
    expect(calls).toHaveLength(1);
    expect(halts).toMatchObject([{ code: "wait_budget_exhausted" }]);
    expect(halts[0]!.message).toContain("limit used up (Remaining: 0)");
  });

  it("with a quota that names no reset, ends the run as the quota's refusal would", async () => {
    const quota = new QuotaExhaustedError("no daily calls left", { quota: "daily API calls", fix: "run tomorrow" });
    const { handle, calls } = pausingDestination(3_600_000, quota);
    const { send, halts } = run(handle);
    await send("1");
    expect((await send("2")).get("2")).toEqual({ status: "deferred", attempts: 0 });
    expect(calls).toHaveLength(1);
    expect(halts).toMatchObject([{ code: "quota_exhausted", fix: "run tomorrow" }]);
    expect(handle.limiter.quotas.status()).toMatchObject([{ quota: "daily API calls", exhausted: true }]);
  });

  it("refuses, with its reason, a caller that cannot charge the wait (discover); tells one that can", async () => {
    const limiter = new DestinationLimiter({ concurrency: 1 });
    const reason = new QuotaExhaustedError("no daily calls left");
    limiter.pause(60_000, reason);
    await expect(limiter.schedule(async () => "called")).rejects.toBe(reason);
    const held: number[] = [];
    const stop = AbortSignal.timeout(50);
    await expect(
      limiter.schedule(
        async () => "called",
        stop,
        (_, until) => held.push(until),
      ),
    ).rejects.toThrow();
    expect(held).toHaveLength(1);
  });
});
