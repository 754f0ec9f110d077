import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { classify, createHttpClient, silentLogger } from "syncline/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webhook from "./index.ts";
import { verify } from "./signature.ts";

let url = "";
let reply: (body: string) => { status: number; body?: string; headers?: Record<string, string> } = () => ({
  status: 200,
});
const received: Array<{ body: string; headers: IncomingHttpHeaders }> = [];
const server = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk: Buffer) => {
    body += chunk.toString();
  });
  request.on("end", () => {
    received.push({ body, headers: request.headers });
    const answer = reply(body);
    response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(answer.body ?? "");
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const SECRET = "0123456789abcdef-secret";
function ctx(config: Record<string, unknown> = {}) {
  return {
    config: { url, maxRecords: 100, maxBytes: 1_000_000, concurrency: 4, timeoutMs: 5_000, ...config },
    logger: silentLogger,
    signal: new AbortController().signal,
    http: createHttpClient({ timeoutMs: 5_000 }),
    pause: () => {},
    state: new Map(),
    baseDir: process.cwd(),
  } as Parameters<typeof webhook.write>[0];
}
const records = [
  { key: "1", keyValues: { id: 1 }, fields: { email: "a@example.com" } },
  { key: "2", keyValues: { id: 2 }, fields: { email: "b@example.com" } },
];

describe("webhook destination", () => {
  it("POSTs the batch as JSON, signed with HMAC-SHA256 and a timestamp", async () => {
    reply = () => ({ status: 204 });
    const outcomes = await webhook.write(ctx({ secret: SECRET }), {
      object: "contacts",
      operation: "upsert",
      records,
      options: {},
    });
    expect(outcomes.map((o) => o.status)).toEqual(["ok", "ok"]);
    const last = received.at(-1)!;
    expect(JSON.parse(last.body)).toEqual({ object: "contacts", operation: "upsert", records });
    expect(verify(SECRET, last.body, String(last.headers["x-syncline-signature"]))).toBe(true);
    expect(verify("another-secret-entirely", last.body, String(last.headers["x-syncline-signature"]))).toBe(false);
  });

  it("reads per-record outcomes from the response when it has them", async () => {
    reply = () => ({
      status: 200,
      body: JSON.stringify({
        results: [
          { key: "1", status: "ok", id: 77 },
          { key: "2", status: "error", code: "INVALID_EMAIL", message: "bad email" },
        ],
      }),
    });
    const outcomes = await webhook.write(ctx(), { object: "contacts", operation: "upsert", records, options: {} });
    expect(outcomes).toEqual([
      { key: "1", status: "ok", remoteId: "77" },
      { key: "2", status: "reject", code: "INVALID_EMAIL", message: "bad email" },
    ]);
  });

  it.each([
    [
      "a key echoed as a number",
      [
        { key: 1, status: "ok" },
        { key: 2, status: "ok" },
      ],
      "results.0.key",
    ],
    [
      "a status outside the documented set",
      [
        { key: "1", status: "success" },
        { key: "2", status: "ok" },
      ],
      "status",
    ],
    [
      "a key that was not sent",
      [
        { key: "1", status: "ok" },
        { key: "3", status: "ok" },
      ],
      'key "3" was not sent',
    ],
    ["results that are not a list", { "1": "ok" }, "results"],
  ])("confirms nothing when the per-record answer has %s", async (_what, results, detail) => {
    reply = () => ({ status: 200, body: JSON.stringify({ results }) });
    const outcomes = await webhook.write(ctx(), { object: "contacts", operation: "upsert", records, options: {} });
    expect(outcomes.map((o) => o.status)).toEqual(["retry", "retry"]);
    expect(outcomes[0]).toMatchObject({ code: "malformed_response" });
    expect((outcomes[0] as { message: string }).message).toContain(detail);
  });

  it("retries a record the receiver answered twice for, and accepts a body without results", async () => {
    reply = () => ({
      status: 200,
      body: JSON.stringify({
        results: [
          { key: "1", status: "ok" },
          { key: "2", status: "ok" },
          { key: "2", status: "error" },
        ],
      }),
    });
    const twice = await webhook.write(ctx(), { object: "contacts", operation: "upsert", records, options: {} });
    expect(twice.map((o) => o.status)).toEqual(["ok", "retry"]);
    reply = () => ({ status: 200, body: JSON.stringify({ received: 2 }) });
    const plain = await webhook.write(ctx(), { object: "contacts", operation: "upsert", records, options: {} });
    expect(plain.map((o) => o.status)).toEqual(["ok", "ok"]);
  });

  it.each([
    [429, "transient", "rate_limited"],
    [503, "transient", "http_503"],
    [401, "configuration", "http_401"],
    [422, "permanent", "http_422"],
  ])("maps a whole-batch %i to a %s error", async (status, kind, code) => {
    const headers: Record<string, string> = status === 429 ? { "retry-after": "3" } : {};
    reply = () => ({ status, headers });
    const error = await webhook
      .write(ctx(), { object: "c", operation: "upsert", records, options: {} })
      .catch(classify);
    expect(error).toMatchObject({ kind, code });
    if (status === 429) expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(3000);
  });

  it("declares its limits from config", () => {
    const caps =
      typeof webhook.capabilities === "function"
        ? webhook.capabilities(ctx({ maxRecords: 7 }).config)
        : webhook.capabilities;
    expect(caps.maxRecords).toBe(7);
    expect(caps.operations).toContain("delete");
  });
});
