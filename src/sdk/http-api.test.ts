import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineDestination } from "./destination.ts";
import { PermanentError } from "./errors/permanent-error.ts";
import { QuotaExhaustedError } from "./errors/quota-exhausted-error.ts";
import { httpApi } from "./http-api.ts";
import { makeDestinationContext } from "./testing/context.ts";
import { type ServedFetch, serveFetch } from "./testing/serve.ts";
import { deadUrl } from "./testing/status-server.ts";

const plugin = defineDestination({
  name: "probe",
  config: v.object({ token: v.string(), baseUrl: v.string() }),
  capabilities: { operations: ["upsert"], maxRecords: 10 },
  async check() {},
  async write() {
    return [];
  },
});

/** Answers `/<status>/<type>` with that status, content type and the request's headers as the body. */
let server: ServedFetch;
beforeAll(async () => {
  server = await serveFetch((request) => {
    const [, status, type] = new URL(request.url).pathname.split("/").map(decodeURIComponent);
    const headers = Object.fromEntries(request.headers);
    if (type === "csv")
      return new Response("Id\n001", { status: Number(status), headers: { "content-type": "text/csv" } });
    if (type === "empty") return new Response(null, { status: Number(status) });
    if (type === "retry") return Response.json({ message: "slow down" }, { status: 429 });
    const body = status === "429" ? { policy: "DAILY" } : { message: "refused here", headers };
    return new Response(JSON.stringify(body), { status: Number(status), headers: { "content-type": type ?? "" } });
  });
});
afterAll(() => server.close());

const ctx = () => makeDestinationContext(plugin, { token: "t0k", baseUrl: server.url });

describe("httpApi", () => {
  const seen: string[] = [];
  const api = httpApi<{ token: string; baseUrl: string }>({
    headers: (context) => ({ authorization: `Bearer ${context.config.token}` }),
    onResponse: (_ctx, result, call) => seen.push(`${call.method} ${call.path} ${result.status}`),
    classify: (result) =>
      (result.body as { policy?: string } | undefined)?.policy === "DAILY"
        ? new QuotaExhaustedError("daily")
        : undefined,
    wording: {
      rateLimitWaitMs: 3_000,
      refused: { 401: { message: "Probe refused the token", path: "token", fix: "set token" } },
    },
  });

  it("sends the API's headers, parses JSON (even labelled text/plain), keeps CSV as text, and shows every answer", async () => {
    const json = await api.call(ctx(), "GET", "200/application%2Fjson");
    expect(json).toMatchObject({ status: 200, ok: true, body: { headers: { authorization: "Bearer t0k" } } });
    expect((await api.call(ctx(), "GET", "200/text%2Fplain")).body).toMatchObject({ message: "refused here" });
    expect((await api.call(ctx(), "GET", "200/csv")).body).toBe("Id\n001");
    expect((await api.call(ctx(), "GET", "204/empty")).body).toBeUndefined();
    expect(seen.at(-1)).toBe("GET 204/empty 204");
  });

  it("classifies a refusal once: the API's hook first, then the status table with the API's wording", async () => {
    const refused = (path: string) => api.request(ctx(), "POST", path, { json: {} }).catch((error: unknown) => error);
    expect(await refused("429/json")).toBeInstanceOf(QuotaExhaustedError);
    expect(await refused("400/json")).toBeInstanceOf(PermanentError);
    expect(await refused("400/json")).toMatchObject({ message: "HTTP 400: refused here", code: "http_400" });
    expect(await refused("401/json")).toMatchObject({
      kind: "configuration",
      message: "Probe refused the token (HTTP 401: refused here)",
      path: "token",
      fix: "set token",
    });
    expect(await refused("403/json")).toMatchObject({ kind: "configuration", code: "http_403" });
    expect(await refused("503/json")).toMatchObject({ kind: "transient", code: "http_503" });
    expect(await refused("429/retry")).toMatchObject({ code: "rate_limited", retryAfterMs: 3_000 });
  });

  it("turns a call that got no answer into a transient error", async () => {
    const context = makeDestinationContext(plugin, { token: "t", baseUrl: await deadUrl() });
    await expect(api.call(context, "GET", "x")).rejects.toMatchObject({ kind: "transient", code: "network" });
  });
});
