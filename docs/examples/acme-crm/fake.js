// fake.js — the Acme CRM API in memory, on a real loopback port, with its documented limits:
// the key, 100 items a call, 50 calls in 10 s, a name on every person.
import { FakeRecorder, serveFetch, slidingWindow } from "syncline/sdk/testing";

export const FAKE_API_KEY = "acme-test-key";

/** @param {{ rateLimit?: { requests: number, windowMs: number } }} [options] */
export async function startAcmeFake(options = {}) {
  const window = slidingWindow(options.rateLimit?.requests ?? 50, options.rateLimit?.windowMs ?? 10_000);
  const recorder = new FakeRecorder();
  /** @type {Map<string, { id: string, remoteId: string, fields: Record<string, unknown> }>} */
  const people = new Map();
  let next = 1;

  /** @param {Request} request */
  async function answer(request) {
    if (request.headers.get("authorization") !== `Key ${FAKE_API_KEY}`) {
      return Response.json({ message: "invalid API key" }, { status: 401 });
    }
    const decision = window.take();
    if (!decision.allowed) {
      const headers = { "retry-after": String(Math.ceil(decision.retryAfterMs / 1000)) };
      return Response.json({ message: "rate limited" }, { status: 429, headers });
    }
    const path = new URL(request.url).pathname;
    if (request.method === "GET" && path === "/v1/me") return Response.json({ account: "acme" });
    if (request.method !== "POST" || path !== "/v1/people/batch") {
      return Response.json({ message: `no route ${request.method} ${path}` }, { status: 404 });
    }
    /** @type {{ operation?: string, items?: Array<Record<string, unknown> & { id: string }> }} */
    const body = await request.json().catch(() => ({}));
    const items = body.items ?? [];
    if (items.length > 100) return Response.json({ message: "at most 100 items per call" }, { status: 400 });
    const results = items.map(({ id, ...fields }) => {
      if (body.operation === "delete") {
        people.delete(id);
        return { id };
      }
      if (typeof fields.name !== "string")
        return { id, error: { code: "name_required", message: "a name is required" } };
      const remoteId = people.get(id)?.remoteId ?? `acme-${next++}`;
      people.set(id, { id, remoteId, fields });
      recorder.write({ object: "people", op: "update", id: remoteId, values: fields });
      return { id, remoteId };
    });
    return Response.json({ results });
  }

  const served = await serveFetch(async (request) => {
    const response = await answer(request);
    recorder.call({
      at: Date.now(),
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      records: 0,
    });
    return response;
  });
  return { url: served.url, close: served.close, fake: { people: () => [...people.values()], calls: recorder.calls } };
}
