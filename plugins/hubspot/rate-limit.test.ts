import { HttpResponse, http } from "msw";
import { QuotaExhaustedError, RateLimitError } from "syncline/sdk";
import { describe, expect, it } from "vitest";
import { HUBSPOT_URL } from "./fake/handlers.ts";
import hubspot from "./index.ts";
import { pacedAtLimit } from "./rate-limit.ts";
import { batch, context, fake, record, serveHubSpotFake, server, useFake } from "./test-kit.ts";

serveHubSpotFake();

describe("hubspot rate limits", () => {
  it("turns 429 into a RateLimitError waiting for Retry-After", async () => {
    useFake({ rateLimit: { requests: 1, windowMs: 4_000 } });
    const ctx = context();
    await hubspot.write(ctx, batch([record("1", { email: "a@example.com" })]));
    ctx.state.clear();
    const error = await hubspot
      .write(ctx, batch([record("2", { email: "b@example.com" })]))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(3_000);
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(4_000);
    expect(fake.counters.rateLimited).toBe(1);
  });

  it("uses the interval header when a 429 has no Retry-After", async () => {
    server.use(
      http.post(`${HUBSPOT_URL}/crm/v3/objects/contacts/batch/upsert`, () =>
        HttpResponse.json(
          {
            status: "error",
            message: "You have reached your ten_secondly_rolling limit.",
            policyName: "TEN_SECONDLY_ROLLING",
          },
          { status: 429, headers: { "x-hubspot-ratelimit-interval-milliseconds": "10000" } },
        ),
      ),
    );
    const error = await hubspot
      .write(context(), batch([record("1", { email: "a@example.com" })]))
      .catch((caught: unknown) => caught);
    expect((error as RateLimitError).retryAfterMs).toBe(10_000);
  });

  it("after a response with X-HubSpot-RateLimit-Remaining: 0, pauses the destination for HubSpot's interval", async () => {
    useFake({ rateLimit: { requests: 1, windowMs: 5_000 } });
    const ctx = context();
    const first = await hubspot.write(ctx, batch([record("1", { email: "a@example.com" })]));
    expect(first[0]?.status).toBe("ok");
    expect(ctx.pauses).toHaveLength(1);
    expect(ctx.pauses[0]!.ms).toBeGreaterThan(4_000);
    expect(ctx.pauses[0]!.reason).toBe("HubSpot rate limit used up (X-HubSpot-RateLimit-Remaining: 0)");
  });

  it("reports the daily limit as a quota: from HubSpot's 429 DAILY, and as a pause once it is seen used up", async () => {
    useFake({ dailyLimit: 10, dailyUsed: 9 });
    const ctx = context();
    expect((await hubspot.write(ctx, batch([record("1", { email: "a@example.com" })])))[0]?.status).toBe("ok");
    expect(ctx.pauses).toHaveLength(1);
    expect(ctx.pauses[0]!.ms).toBe(60 * 60 * 1000);
    expect(ctx.pauses[0]!.reason).toBeInstanceOf(QuotaExhaustedError);
    expect(ctx.pauses[0]!.reason).toMatchObject({ kind: "quota", resetsAt: undefined });
    const refused = await hubspot
      .write(context(), batch([record("2", { email: "b@example.com" })]))
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(QuotaExhaustedError);
    expect(refused).toMatchObject({ kind: "quota", code: "daily_limit", resetsAt: undefined });
    expect((refused as QuotaExhaustedError).quota).toContain("midnight in the account's time zone");
    expect(fake.counters.quotaExhausted).toBe(1);
  });

  it("does not pause on Remaining: 0 when its own declared pace fills HubSpot's window, nor after a 429", async () => {
    useFake({ rateLimit: { requests: 1, windowMs: 4_000 } });
    const ctx = context({ rateLimit: { requests: 1, windowMs: 4_000 } });
    await hubspot.write(ctx, batch([record("1", { email: "a@example.com" })]));
    // The engine's pacing would hold this call; called directly, it reaches HubSpot (no pause of its own).
    const error = await hubspot
      .write(ctx, batch([record("2", { email: "b@example.com" })]))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(fake.counters.rateLimited).toBe(1);
    // The 429's wait is the engine's to keep (Retry-After): the plugin orders no pause after it.
    expect(ctx.pauses).toEqual([]);
  });

  it("counts a pace as filling HubSpot's window only when it puts exactly its limit in one window", () => {
    const limits = { max: 190, intervalMs: 10_000 };
    expect(pacedAtLimit({ requests: 190, windowMs: 10_000 }, limits)).toBe(true);
    expect(pacedAtLimit({ requests: 19, windowMs: 1_000 }, limits)).toBe(true);
    expect(pacedAtLimit({ requests: 180, windowMs: 10_000 }, limits)).toBe(false);
    expect(pacedAtLimit({ requests: 40, windowMs: 2_000 }, { max: 20, intervalMs: 1_000 })).toBe(false);
    expect(pacedAtLimit({ requests: 20, windowMs: 1_000 }, {})).toBe(false);
  });

  it("paces by tier unless rateLimit is set", () => {
    const caps = (config: Record<string, unknown>) => {
      const ctx = context(config);
      return typeof hubspot.capabilities === "function" ? hubspot.capabilities(ctx.config) : hubspot.capabilities;
    };
    expect(caps({}).rateLimit).toEqual({ requests: 180, windowMs: 10_000 });
    expect(caps({ tier: "starter" }).rateLimit).toEqual({ requests: 95, windowMs: 10_000 });
    expect(caps({ rateLimit: { requests: 50, windowMs: 1_000 } }).rateLimit).toEqual({ requests: 50, windowMs: 1_000 });
    expect(caps({}).maxRecords).toBe(100);
  });

  it("throws a TransientError for 5xx", async () => {
    fake.fail({ status: 502 });
    const error = await hubspot
      .write(context(), batch([record("1", { email: "a@example.com" })]))
      .catch((caught: unknown) => caught);
    expect((error as { kind?: string }).kind).toBe("transient");
  });
});
