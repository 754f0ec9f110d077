import { afterEach, describe, expect, it } from "vitest";
import { AppHarness, body, HMAC_SECRET, TOKEN } from "../../test/server/support.ts";
import { sign, verify } from "./auth.ts";
import { errorSchema, triggerResponse } from "./schemas.ts";

let t: AppHarness;
afterEach(async () => t?.close());

describe("bearer tokens", () => {
  it.each([
    ["no Authorization header", {}, "unauthorized"],
    ["a wrong token", { authorization: "Bearer wrong-token-0123456789abcdef" }, "invalid_token"],
    ["a token prefix", { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, "invalid_token"],
    ["a longer token", { authorization: `Bearer ${TOKEN}x` }, "invalid_token"],
    ["another scheme", { authorization: `Basic ${TOKEN}` }, "invalid_token"],
  ])("refuses %s with a JSON 401 on every /v1 route", async (_name, headers, code) => {
    t = await new AppHarness().setup();
    for (const [method, path] of [
      ["GET", "/v1/syncs"],
      ["GET", "/v1/syncs/people/failures"],
      ["POST", "/v1/syncs/people/runs"],
      ["GET", "/v1/runs/run_abc"],
      ["GET", "/v1/nothing-here"],
    ] as const) {
      const response = await t.request(path, { method, headers, token: null });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
      expect((await body(response, errorSchema)).error.code).toBe(code);
    }
    expect(t.h.engine.runs.last("people")).toBeUndefined();
  });

  it("accepts the configured token, whatever the scheme's case", async () => {
    t = await new AppHarness().setup();
    expect((await t.request("/v1/syncs", { headers: { authorization: `bearer ${TOKEN}` }, token: null })).status).toBe(
      200,
    );
    expect((await t.request("/v1/syncs")).status).toBe(200);
  });
});

describe("HMAC-signed triggers", () => {
  const payload = JSON.stringify({ eventType: "job.run.completed", runId: 42 });

  it("starts a run for a body signed with the shared secret, options from the query", async () => {
    t = await new AppHarness().setup();
    const response = await t.request("/v1/syncs/people/runs?fullResync=true", {
      method: "POST",
      body: payload,
      headers: { "x-syncline-signature": sign(HMAC_SECRET, payload) },
      token: null,
    });
    expect(response.status).toBe(202);
    const run = await body(response, triggerResponse);
    expect(run.trigger).toBe("webhook");
    expect(run.options.fullResync).toBe(true);
    // The sender retries the same delivery: the same run comes back.
    const again = await t.request("/v1/syncs/people/runs?fullResync=true", {
      method: "POST",
      body: payload,
      headers: { "x-syncline-signature": sign(HMAC_SECRET, payload) },
      token: null,
    });
    expect((await body(again, triggerResponse)).id).toBe(run.id);
  });

  it.each([
    ["a tampered body", (now: number) => sign(HMAC_SECRET, `${payload} `, now), "invalid_signature"],
    ["another secret", (now: number) => sign("another-secret-0123456789", payload, now), "invalid_signature"],
    ["an old timestamp", (now: number) => sign(HMAC_SECRET, payload, now - 10 * 60_000), "signature_expired"],
    ["garbage", () => "t=abc,v1=zz", "invalid_signature"],
  ])("refuses %s", async (_name, signature, code) => {
    t = await new AppHarness().setup();
    const response = await t.request("/v1/syncs/people/runs", {
      method: "POST",
      body: payload,
      headers: { "x-syncline-signature": signature(Date.now()) },
      token: null,
    });
    expect(response.status).toBe(401);
    expect((await body(response, errorSchema)).error.code).toBe(code);
  });

  it("does not open any other route", async () => {
    t = await new AppHarness().setup();
    const response = await t.request("/v1/syncs", {
      headers: { "x-syncline-signature": sign(HMAC_SECRET, "") },
      token: null,
    });
    expect(response.status).toBe(401);
  });
});

describe("verify", () => {
  const now = 1_800_000_000_000;
  it("checks the signature and the replay window", () => {
    const header = sign("s3cret-0123456789abc", "body", now);
    expect(verify("s3cret-0123456789abc", "body", header, 300_000, now + 299_000)).toBe("ok");
    expect(verify("s3cret-0123456789abc", "body", header, 300_000, now + 301_000)).toBe("expired");
    expect(verify("s3cret-0123456789abc", "body!", header, 300_000, now)).toBe("invalid");
    expect(verify("s3cret-0123456789abc", "body", header.replace("v1=", "v1=0"), 300_000, now)).toBe("invalid");
    expect(verify("s3cret-0123456789abc", "body", "", 300_000, now)).toBe("invalid");
  });
});
