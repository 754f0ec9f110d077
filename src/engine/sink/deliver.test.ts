import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { resolveCapabilities } from "../../config/resolve.ts";
import {
  type Capabilities,
  type DestinationRecord,
  defineDestination,
  type Outcome,
  type WriteBatch,
} from "../../sdk/destination.ts";
import { ConfigurationError } from "../../sdk/errors/configuration-error.ts";
import { PermanentError } from "../../sdk/errors/permanent-error.ts";
import { QuotaExhaustedError } from "../../sdk/errors/quota-exhausted-error.ts";
import { RateLimitError } from "../../sdk/errors/rate-limit-error.ts";
import { TransientError } from "../../sdk/errors/transient-error.ts";
import { createHttpClient } from "../../sdk/http.ts";
import { silentLogger } from "../../sdk/logger.ts";
import { ok, reject, retry } from "../../sdk/outcomes.ts";
import type { FinalOutcome } from "../ledger/final-outcome.ts";
import { type DeliverOptions, deliver } from "./deliver.ts";
import type { DestinationHandle } from "./destination-handle.ts";
import { DestinationLimiter } from "./limiter.ts";
import { type Halt, WaitBudget } from "./waits.ts";

/** A real destination plugin whose `write` each test scripts; every call's keys are logged. */
function destination(write: (batch: WriteBatch, call: number) => Outcome[]) {
  const calls: string[][] = [];
  const plugin = defineDestination({
    name: "scripted",
    config: v.object({}),
    capabilities: { operations: ["upsert", "delete"], maxRecords: 100, timeoutMs: 5_000 },
    check: async () => {},
    write: async (_ctx, batch) => {
      calls.push(batch.records.map((record) => record.key));
      return write(batch, calls.length);
    },
  });
  const handle: DestinationHandle = {
    name: "scripted",
    plugin: plugin as DestinationHandle["plugin"],
    config: {},
    capabilities: resolveCapabilities(plugin.capabilities as Capabilities),
    limiter: new DestinationLimiter({ concurrency: 1 }),
    state: new Map(),
    baseDir: ".",
    http: (signal) => createHttpClient({ signal, timeoutMs: 5_000 }),
    redact: (text) => text,
  };
  return { handle, calls };
}

function run(handle: DestinationHandle, keys: string[], extra: Partial<DeliverOptions> = {}) {
  const halts: Halt[] = [];
  const stopping = new AbortController();
  const options: DeliverOptions = {
    destination: handle,
    object: "contacts",
    operation: "upsert",
    options: {},
    logger: silentLogger,
    signal: new AbortController().signal,
    stop: stopping.signal,
    budget: new WaitBudget(60_000),
    halt: (halt) => {
      halts.push(halt);
      stopping.abort();
    },
    maxAttempts: 3,
    random: () => 0,
    ...extra,
  };
  const records: DestinationRecord[] = keys.map((key) => ({ key, keyValues: { id: key }, fields: {} }));
  return { outcomes: deliver(records, options), halts };
}

const statuses = (outcomes: Map<string, FinalOutcome>) =>
  Object.fromEntries([...outcomes].map(([key, outcome]) => [key, `${outcome.status}:${outcome.attempts}`]));

describe("deliver: per-record outcomes of one batch", () => {
  it("settles a partial batch: accepted and refused records at once, only the retried ones called again", async () => {
    const { handle, calls } = destination((batch, call) =>
      batch.records.map((record) => {
        if (record.key === "b") return reject(record, { code: "INVALID", message: "bad email" });
        if (record.key === "c" && call === 1) return retry(record, { code: "busy", message: "later" });
        return ok(record, `r-${record.key}`);
      }),
    );
    const outcomes = await run(handle, ["a", "b", "c"]).outcomes;
    expect(calls).toEqual([["a", "b", "c"], ["c"]]);
    expect(outcomes.get("a")).toEqual({ status: "ok", remoteId: "r-a", attempts: 1 });
    expect(outcomes.get("b")).toMatchObject({
      status: "failed",
      errorClass: "permanent",
      code: "INVALID",
      attempts: 1,
    });
    expect(outcomes.get("c")).toEqual({ status: "ok", remoteId: "r-c", attempts: 2 });
  });

  it("gives up on a record retried maxAttempts times: a transient failure for the ledger", async () => {
    const { handle, calls } = destination((batch) =>
      batch.records.map((r) => retry(r, { code: "busy", message: "x" })),
    );
    const outcomes = await run(handle, ["a"]).outcomes;
    expect(calls).toHaveLength(3);
    expect(outcomes.get("a")).toMatchObject({ status: "failed", errorClass: "transient", code: "busy", attempts: 3 });
  });
});

describe("deliver: a call that fails as a whole, by error class", () => {
  it("transient: the whole batch is retried, each record's attempts counted", async () => {
    const { handle, calls } = destination((batch, call) => {
      if (call < 3) throw new TransientError("502 from the gateway", { code: "http_502" });
      return batch.records.map((record) => ok(record));
    });
    const outcomes = await run(handle, ["a", "b"]).outcomes;
    expect(calls).toHaveLength(3);
    expect(statuses(outcomes)).toEqual({ a: "ok:3", b: "ok:3" });
  });

  it("permanent: the batch is split in halves until the record at fault is alone", async () => {
    const { handle, calls } = destination((batch) => {
      if (batch.records.some((record) => record.key === "c")) throw new PermanentError("400: bad payload");
      return batch.records.map((record) => ok(record));
    });
    const outcomes = await run(handle, ["a", "b", "c", "d"]).outcomes;
    expect(calls).toEqual([["a", "b", "c", "d"], ["a", "b"], ["c", "d"], ["c"], ["d"]]);
    expect(statuses(outcomes)).toEqual({ a: "ok:1", b: "ok:1", c: "failed:1", d: "ok:1" });
    expect(outcomes.get("c")).toMatchObject({ errorClass: "permanent" });
  });

  it("rate limit: waits as asked and sends again without using an attempt", async () => {
    const { handle, calls } = destination((batch, call) => {
      if (call === 1) throw new RateLimitError("429", { retryAfterMs: 20 });
      return batch.records.map((record) => ok(record));
    });
    const started = Date.now();
    const outcomes = await run(handle, ["a"]).outcomes;
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(calls).toHaveLength(2);
    expect(statuses(outcomes)).toEqual({ a: "ok:1" });
  });

  it("quota with no known reset: the run halts, the batch is deferred with no attempt used", async () => {
    const { handle, calls } = destination(() => {
      throw new QuotaExhaustedError("daily quota used up");
    });
    const { outcomes, halts } = run(handle, ["a", "b"]);
    expect(statuses(await outcomes)).toEqual({ a: "deferred:0", b: "deferred:0" });
    expect(calls).toHaveLength(1);
    expect(halts).toEqual([expect.objectContaining({ code: "quota_exhausted" })]);
  });

  it("a retry wait beyond the run's budget halts the run; the records a call carried stay deferred with their attempts", async () => {
    const { handle } = destination((batch) =>
      batch.records.map((r) => retry(r, { code: "busy", message: "x", retryAfterMs: 5_000 })),
    );
    const { outcomes, halts } = run(handle, ["a"], { budget: new WaitBudget(1_000) });
    expect(statuses(await outcomes)).toEqual({ a: "deferred:1" });
    expect(halts).toEqual([expect.objectContaining({ code: "wait_budget_exhausted" })]);
  });

  it("configuration: propagates, nothing is settled (no record can succeed until the user fixes it)", async () => {
    const { handle, calls } = destination(() => {
      throw new ConfigurationError("401: the API key was revoked");
    });
    await expect(run(handle, ["a", "b"]).outcomes).rejects.toMatchObject({ kind: "configuration" });
    expect(calls).toHaveLength(1);
  });

  it("a stopped run sends nothing: every record is deferred, never sent", async () => {
    const { handle, calls } = destination((batch) => batch.records.map((record) => ok(record)));
    const stopped = AbortSignal.abort();
    const outcomes = await run(handle, ["a", "b"], { stop: stopped }).outcomes;
    expect(calls).toHaveLength(0);
    expect(statuses(outcomes)).toEqual({ a: "deferred:0", b: "deferred:0" });
  });
});
