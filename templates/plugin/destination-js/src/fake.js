// A fake of the API for tests: in memory, on a real loopback HTTP server, enforcing what the
// real API documents (the key, 100 records per call, 10 requests a second, per-record
// validation), so the plugin is tested against the same limits it will meet in production.
import { FakeRecorder, FaultQueue, serveFetch, slidingWindow } from "syncline/sdk/testing";

export const FAKE_API_KEY = "fake-api-key";

/** @typedef {{ apiKey?: string, maxRecords?: number, rateLimit?: { requests: number, windowMs: number } }} FakeOptions */
/** @typedef {{ id: string, externalId: string, fields: Record<string, unknown> }} StoredRecord */
/** @typedef {{ status: number, body?: unknown, headers?: Record<string, string>, records?: number, refused?: string }} Answer */

/** @param {FakeOptions} [options] */
export function createFake(options = {}) {
  const apiKey = options.apiKey ?? FAKE_API_KEY;
  const maxRecords = options.maxRecords ?? 100;
  const window = slidingWindow(options.rateLimit?.requests ?? 10, options.rateLimit?.windowMs ?? 1_000);
  const recorder = new FakeRecorder();
  const faults = new FaultQueue();
  /** @type {Map<string, Map<string, StoredRecord>>} */
  const objects = new Map();
  let nextId = 1;
  /** @param {string} object */
  const table = (object) =>
    objects.get(object) ?? /** @type {Map<string, StoredRecord>} */ (objects.set(object, new Map()).get(object));
  /** @param {string} code @param {string} message */
  const error = (code, message) => ({ error: { code, message } });

  /**
   * @param {string} object
   * @param {Array<{ externalId: string, fields: Record<string, unknown> }>} records
   */
  function upsert(object, records) {
    return records.map(({ externalId, fields }) => {
      const invalid = Object.entries(fields ?? {}).find(([, value]) => typeof value === "object" && value !== null);
      if (invalid)
        return { externalId, ...error("invalid_value", `field ${invalid[0]} must be a string, number or boolean`) };
      const existing = table(object).get(externalId);
      const stored = { id: existing?.id ?? `r${nextId++}`, externalId, fields: { ...existing?.fields, ...fields } };
      table(object).set(externalId, stored);
      recorder.write({ object, op: existing ? "update" : "create", id: stored.id, values: fields });
      return { externalId, id: stored.id };
    });
  }

  /**
   * @param {string} object
   * @param {string[]} externalIds
   */
  function remove(object, externalIds) {
    return externalIds.map((externalId) => {
      const existing = table(object).get(externalId);
      if (existing) {
        table(object).delete(externalId);
        recorder.write({ object, op: "delete", id: existing.id, values: {} });
      }
      return { externalId }; // deleting what is already gone succeeds
    });
  }

  /**
   * @param {Request} request
   * @returns {Promise<Answer>}
   */
  async function answer(request) {
    const fault = faults.take(request);
    if (fault) return { status: fault.status, body: fault.body, headers: fault.headers, refused: "fault" };
    if (request.headers.get("authorization") !== `Bearer ${apiKey}`) {
      return { status: 401, body: error("unauthorized", "invalid API key"), refused: "unauthorized" };
    }
    const decision = window.take();
    if (!decision.allowed) {
      const headers = { "retry-after": String(Math.ceil(decision.retryAfterMs / 1000)) };
      return { status: 429, body: error("rate_limited", "slow down"), headers, refused: "rate_limited" };
    }
    const path = new URL(request.url).pathname;
    if (request.method === "GET" && path === "/v1/me") return { status: 200, body: { account: "fake" } };
    const match = /^\/v1\/([^/]+)\/(upsert|delete)$/.exec(path);
    if (request.method !== "POST" || !match) return { status: 404, body: error("not_found", "no such endpoint") };
    const object = decodeURIComponent(match[1] ?? "");
    const input = /** @type {{ records?: unknown[], externalIds?: unknown[] }} */ (
      await request.json().catch(() => ({}))
    );
    const items = (match[2] === "upsert" ? input.records : input.externalIds) ?? [];
    if (!Array.isArray(items)) return { status: 400, body: error("bad_request", "expected an array") };
    if (items.length > maxRecords) {
      const body = error("too_many_records", `at most ${maxRecords} records per call`);
      return { status: 400, body, records: items.length, refused: "too_large" };
    }
    const results =
      match[2] === "upsert"
        ? upsert(object, /** @type {Array<{ externalId: string, fields: Record<string, unknown> }>} */ (items))
        : remove(object, /** @type {string[]} */ (items));
    return { status: 200, body: { results }, records: items.length };
  }

  return {
    /** @param {Request} request */
    async fetch(request) {
      const at = Date.now();
      const { status, body, headers, records = 0, refused } = await answer(request);
      recorder.call({ at, method: request.method, path: new URL(request.url).pathname, status, records, refused });
      return Response.json(body ?? null, { status, headers });
    },
    /** The records the API holds in `object`. */
    records: (/** @type {string} */ object) => [...table(object).values()].map((record) => ({ ...record })),
    /** Queue failures (5xx, 429, …) for the next matching calls. */
    faults,
    calls: recorder.calls,
    writes: recorder.writes,
    counters: recorder.counters,
  };
}

/**
 * The fake on a loopback port: `{ url, fake, close() }`.
 * @param {FakeOptions} [options]
 */
export async function startFake(options) {
  const fake = createFake(options);
  const served = await serveFetch(fake.fetch);
  return { url: served.url, fake, close: served.close };
}
