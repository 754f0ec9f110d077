// A fake Notes CRM for tests: in memory, enforcing the batch limit, the rate limit, the API
// key and per-note validation, exactly as the real API documents them.
import { FakeRecorder, serveFetch, slidingWindow } from "syncline/sdk/testing";

export const FAKE_API_KEY = "notes-test-key";

/**
 * @param {{ apiKey?: string, maxNotes?: number, rateLimit?: { requests: number, windowMs: number } }} [options]
 */
export function createNotesFake(options = {}) {
  const apiKey = options.apiKey ?? FAKE_API_KEY;
  const maxNotes = options.maxNotes ?? 50;
  const window = slidingWindow(options.rateLimit?.requests ?? 20, options.rateLimit?.windowMs ?? 1_000);
  const recorder = new FakeRecorder();
  /** @type {Map<string, { id: string, externalId: string, title: string, body: string, tags: unknown }>} */
  const notes = new Map();
  let nextId = 1;

  /**
   * @param {number} status
   * @param {unknown} body
   * @param {Record<string, string>} [headers]
   */
  const json = (status, body, headers = {}) =>
    new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    });

  /** @param {Request} request */
  async function answer(request) {
    const url = new URL(request.url);
    if (request.headers.get("authorization") !== `Token ${apiKey}`) {
      return {
        response: json(401, { error: { code: "unauthorized", message: "invalid API key" } }),
        records: 0,
        refused: "unauthorized",
      };
    }
    const decision = window.take();
    if (!decision.allowed) {
      const headers = { "retry-after": String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))) };
      return {
        response: json(429, { error: { code: "rate_limited", message: "slow down" } }, headers),
        records: 0,
        refused: "rate_limited",
      };
    }
    if (request.method === "GET" && url.pathname === "/v1/me")
      return { response: json(200, { account: "example" }), records: 0 };
    if (request.method === "PUT" && url.pathname === "/v1/notes/batch") {
      const input =
        /** @type {{ notes?: Array<{ externalId: string, title?: unknown, body?: string, tags?: unknown }> }} */ (
          await request.json()
        );
      const batch = Array.isArray(input.notes) ? input.notes : [];
      if (batch.length > maxNotes) {
        const error = { code: "too_many_notes", message: `at most ${maxNotes} notes per call` };
        return { response: json(400, { error }), records: batch.length, refused: "too_large" };
      }
      const results = batch.map((note) => {
        if (typeof note.title !== "string" || note.title.trim() === "") {
          return {
            externalId: note.externalId,
            error: { code: "title_required", message: "a note needs a non-empty title" },
          };
        }
        const existing = notes.get(note.externalId);
        const stored = { ...existing, ...note, title: note.title, id: existing?.id ?? `n${nextId++}` };
        notes.set(note.externalId, stored);
        recorder.write({ object: "notes", op: existing ? "update" : "create", id: stored.id, values: note });
        return { externalId: note.externalId, id: stored.id, status: existing ? "updated" : "created" };
      });
      return { response: json(200, { results }), records: batch.length };
    }
    const match = /^\/v1\/notes\/([^/]+)$/.exec(url.pathname);
    if (request.method === "DELETE" && match) {
      const entry = [...notes.values()].find((note) => note.id === decodeURIComponent(match[1] ?? ""));
      if (!entry) return { response: json(404, { error: { code: "not_found", message: "no such note" } }), records: 1 };
      notes.delete(entry.externalId);
      recorder.write({ object: "notes", op: "delete", id: entry.id, values: {} });
      return { response: json(204, undefined), records: 1 };
    }
    return { response: json(404, { error: { code: "not_found", message: "no such endpoint" } }), records: 0 };
  }

  return {
    /** @param {Request} request */
    async fetch(request) {
      const at = Date.now();
      const { response, records, refused } = await answer(request);
      const url = new URL(request.url);
      recorder.call({ at, method: request.method, path: url.pathname, status: response.status, records, refused });
      return response;
    },
    /** The notes the CRM holds. */
    notes: () => [...notes.values()].map((note) => ({ ...note })),
    calls: recorder.calls,
    writes: recorder.writes,
    counters: recorder.counters,
  };
}

/** @param {Parameters<typeof createNotesFake>[0]} [options] */
export async function startNotesFake(options) {
  const fake = createNotesFake(options);
  const served = await serveFetch(fake.fetch);
  return { url: served.url, fake, close: served.close };
}
