import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { defineDestination } from "../destination.ts";
import { ConfigurationError } from "../errors/configuration-error.ts";
import { ok, reject } from "../outcomes.ts";
import { makeDestinationContext } from "./context.ts";
import { FaultQueue } from "./faults.ts";
import { outcomeProblems } from "./outcome-checks.ts";
import { fixedWindow, slidingWindow } from "./rate-window.ts";
import { serveFetch } from "./serve.ts";
import { deadUrl } from "./status-server.ts";

const plugin = defineDestination({
  name: "probe",
  config: v.object({ token: v.string(), baseUrl: v.optional(v.string(), "https://vendor.example") }),
  capabilities: { operations: ["upsert"], maxRecords: 10, timeoutMs: 1_234 },
  async check() {},
  async write() {
    return [];
  },
});

describe("rate windows", () => {
  it("a sliding window allows R requests in any window and says when the oldest leaves", () => {
    const window = slidingWindow(2, 1_000);
    expect(window.take(0)).toMatchObject({ allowed: true, remaining: 1 });
    expect(window.take(400)).toMatchObject({ allowed: true, remaining: 0 });
    expect(window.take(900)).toMatchObject({ allowed: false, retryAfterMs: 100 });
    expect(window.take(1_000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(window.take(1_300)).toMatchObject({ allowed: false, retryAfterMs: 100 });
  });

  it("a fixed window resets at clock-aligned boundaries", () => {
    const window = fixedWindow(1, 10_000);
    expect(window.take(20_001)).toMatchObject({ allowed: true, resetAt: 30_000 });
    expect(window.take(29_999)).toMatchObject({ allowed: false, retryAfterMs: 1 });
    expect(window.take(30_000).allowed).toBe(true);
  });
});

describe("fault queue", () => {
  it("answers matching requests the given number of times, in order", () => {
    const faults = new FaultQueue();
    faults.add({ status: 503, times: 2 });
    faults.add({ status: 429, match: (request) => request.method === "POST" });
    const get = new Request("https://x.example/a");
    const post = new Request("https://x.example/a", { method: "POST" });
    expect(faults.take(get)?.status).toBe(503);
    expect(faults.take(post)?.status).toBe(503);
    expect(faults.take(get)).toBeUndefined();
    expect(faults.take(post)?.status).toBe(429);
    expect(faults.pending).toBe(0);
  });
});

describe("outcome checks", () => {
  const a = { key: "a", keyValues: {}, fields: {} };
  const b = { key: "b", keyValues: {}, fields: {} };
  const records = [a, b];
  it("accepts one valid outcome per record", () => {
    expect(
      outcomeProblems(records, [
        ok(records[0] as never, "1"),
        reject(records[1] as never, { code: "x", message: "y" }),
      ]),
    ).toEqual([]);
  });
  it("accepts ok without a remote id: ok(record), ok(record, null), ok(record, undefined)", () => {
    const c = { key: "c", keyValues: {}, fields: {} };
    const outcomes = [ok(a), ok(b, null), ok(c, undefined)];
    expect(outcomeProblems([a, b, c], outcomes)).toEqual([]);
    for (const outcome of outcomes) expect(outcome).toStrictEqual({ key: outcome.key, status: "ok" });
    expect(outcomeProblems([a], [{ key: "a", status: "ok", remoteId: 42 as never }])).toEqual([
      "remoteId of a must be a string, null or absent",
    ]);
  });
  it("names missing, unknown, duplicate and malformed outcomes", () => {
    const problems = outcomeProblems(records, [
      { key: "a", status: "ok" },
      { key: "a", status: "ok" },
      { key: "c", status: "reject", code: "", message: "m" },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        'more than one outcome for key "a"',
        'outcome for unknown key "c"',
        "c: code is missing",
        'no outcome for key "b"',
      ]),
    );
  });
});

describe("makeDestinationContext", () => {
  it("validates the config, points baseUrl at the fake and uses the plugin's timeout", async () => {
    const server = await serveFetch((request) => Response.json({ path: new URL(request.url).pathname }));
    try {
      const ctx = makeDestinationContext(plugin, { token: "t" }, { baseUrl: server.url });
      expect(ctx.config).toEqual({ token: "t", baseUrl: server.url });
      expect(await ctx.http.get("v1/ping").json()).toEqual({ path: "/v1/ping" });
      expect(ctx.state.size).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("throws a ConfigurationError naming what is wrong", () => {
    expect(() => makeDestinationContext(plugin, { token: 1 })).toThrow(ConfigurationError);
    expect(() => makeDestinationContext(plugin, { token: 1 })).toThrow(/token/);
  });

  it("deadUrl refuses connections", async () => {
    await expect(fetch(await deadUrl())).rejects.toThrow();
  });
});
