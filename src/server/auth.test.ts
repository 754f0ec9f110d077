import { afterEach, describe, expect, it } from "vitest";
import { AppHarness, body, HMAC_SECRET, TOKEN } from "../../test/server/support.ts";
import { sign, signingString, verify } from "./auth.ts";
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
  const target = "/v1/syncs/people/runs?fullResync=true";
  const request = { method: "POST", target, body: payload };
  const post = (path: string, signature: string) =>
    t.request(path, { method: "POST", body: payload, headers: { "x-syncline-signature": signature }, token: null });

  it("starts a run for a request signed with the shared secret, options from the signed query", async () => {
    t = await new AppHarness().setup();
    const response = await post(target, sign(HMAC_SECRET, request));
    expect(response.status).toBe(202);
    const run = await body(response, triggerResponse);
    expect(run.trigger).toBe("webhook");
    expect(run.options.fullResync).toBe(true);
  });

  it.each([
    [
      "a tampered body",
      (now: number) => sign(HMAC_SECRET, { ...request, body: `${payload} ` }, now),
      "invalid_signature",
    ],
    [
      "another route",
      (now: number) => sign(HMAC_SECRET, { ...request, target: "/v1/syncs/x/runs" }, now),
      "invalid_signature",
    ],
    ["another secret", (now: number) => sign("another-secret-0123456789", request, now), "invalid_signature"],
    ["an old timestamp", (now: number) => sign(HMAC_SECRET, request, now - 10 * 60_000), "signature_expired"],
    [
      "the old v1 scheme (timestamp and body only)",
      (now: number) => `t=${Math.floor(now / 1000)},v1=${"a".repeat(64)}`,
      "signature_scheme_outdated",
    ],
    ["garbage", () => "t=abc,v2=zz", "invalid_signature"],
  ])("refuses %s", async (_name, signature, code) => {
    t = await new AppHarness().setup();
    const response = await post(target, signature(Date.now()));
    expect(response.status).toBe(401);
    expect((await body(response, errorSchema)).error.code).toBe(code);
  });

  it("does not open any other route", async () => {
    t = await new AppHarness().setup();
    const response = await t.request("/v1/syncs", {
      headers: { "x-syncline-signature": sign(HMAC_SECRET, { method: "GET", target: "/v1/syncs", body: "" }) },
      token: null,
    });
    expect(response.status).toBe(401);
  });
});

describe("verify", () => {
  const now = 1_800_000_000_000;
  const secret = "s3cret-0123456789abc";
  const request = { method: "POST", target: "/v1/syncs/a/runs", body: "body" };
  it("checks the signature against the whole request, and the replay window", () => {
    const header = sign(secret, request, now);
    expect(verify(secret, request, header, 300_000, now + 299_000)).toMatchObject({ t: now / 1000 });
    expect(verify(secret, request, header, 300_000, now + 301_000)).toBe("signature_expired");
    expect(verify(secret, { ...request, body: "body!" }, header, 300_000, now)).toBe("invalid_signature");
    expect(verify(secret, { ...request, target: "/v1/syncs/a/runs?forceDeletes=true" }, header, 300_000, now)).toBe(
      "invalid_signature",
    );
    expect(verify(secret, { ...request, method: "PUT" }, header, 300_000, now)).toBe("invalid_signature");
    expect(verify(secret, request, header.replace("v2=", "v2=0"), 300_000, now)).toBe("invalid_signature");
    expect(verify(secret, request, "", 300_000, now)).toBe("invalid_signature");
  });

  it("signs the documented string", () => {
    expect(signingString(1_800_000_000, request)).toBe("1800000000\nPOST\n/v1/syncs/a/runs\nbody");
  });
});
