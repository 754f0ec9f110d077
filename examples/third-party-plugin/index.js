// A third-party Syncline destination, written as any plugin author would: plain JavaScript
// ESM with JSDoc types, using only Syncline's public SDK (`syncline/sdk`).
//
// The "Notes CRM" API it talks to:
//   PUT    /v1/notes/batch   {notes: [{externalId, title, body, tags}]}  (at most 50)
//          → 200 {results: [{externalId, id, status} | {externalId, error: {code, message}}]}
//   DELETE /v1/notes/{id}    → 204, or 404 when it is already gone
//   GET    /v1/me            → 200, or 401 for a bad key
// Auth: `Authorization: Token <apiKey>`. Rate limit: 20 requests a second (429 + Retry-After).
import { defineDestination, httpApi, ok, reject, retry, secret } from "syncline/sdk";
import * as v from "valibot";

/** @typedef {import("syncline/sdk").DestinationContext<NotesConfig>} Context */
/** @typedef {import("syncline/sdk").DestinationRecord} DestinationRecord */
/** @typedef {import("syncline/sdk").Outcome} Outcome */
/** @typedef {{ apiKey: string, baseUrl: string }} NotesConfig */
/** @typedef {{ externalId: string, id?: string, status?: string, error?: { code: string, message: string } }} NoteResult */
/** @typedef {{ results?: NoteResult[], error?: { code: string, message: string } }} NotesBody */

const MAX_NOTES = 50;

const config = v.object({
  apiKey: v.pipe(v.string(), v.minLength(1, "apiKey is required: create one under Settings → API"), secret()),
  baseUrl: v.optional(v.pipe(v.string(), v.url()), "https://api.notes-crm.example"),
});

/**
 * The CRM's API through the SDK's HTTP helper: the key on every call, every answer parsed once,
 * and a refusal classified by its status (429: wait, 5xx: retry, 401: the key), worded with
 * the CRM's own message.
 * @type {import("syncline/sdk").HttpApi<NotesConfig>}
 */
const notesApi = httpApi({
  headers: (ctx) => ({ authorization: `Token ${ctx.config.apiKey}` }),
  detail: (body) => /** @type {NotesBody | undefined} */ (body)?.error?.message ?? "",
});

/**
 * Upserts notes by external id: the record's key is the external id.
 * @param {Context} ctx
 * @param {DestinationRecord[]} records
 * @returns {Promise<Outcome[]>}
 */
async function upsert(ctx, records) {
  const notes = records.map((record) => ({ externalId: record.key, ...record.fields }));
  const body = /** @type {NotesBody | undefined} */ (
    await notesApi.request(ctx, "PUT", "v1/notes/batch", { json: { notes } })
  );
  const results = new Map((body?.results ?? []).map((result) => [result.externalId, result]));
  return records.map((record) => {
    const result = results.get(record.key);
    if (!result) return retry(record, { code: "no_result", message: "the CRM returned no result for this note" });
    if (result.error) return reject(record, { code: result.error.code, message: result.error.message });
    return ok(record, result.id);
  });
}

/**
 * Deletes notes by their CRM id (the remote id); a note already gone is fine.
 * @param {Context} ctx
 * @param {DestinationRecord[]} records
 * @returns {Promise<Outcome[]>}
 */
async function remove(ctx, records) {
  /** @type {Outcome[]} */
  const outcomes = [];
  for (const record of records) {
    if (!record.remoteId) {
      outcomes.push(reject(record, { code: "missing_id", message: "no CRM id is known for this note" }));
      continue;
    }
    const result = await notesApi.call(ctx, "DELETE", `v1/notes/${encodeURIComponent(record.remoteId)}`);
    if (!result.ok && result.status !== 404) throw notesApi.error(result, ctx);
    outcomes.push(ok(record, record.remoteId));
  }
  return outcomes;
}

export default defineDestination({
  name: "example-notes-crm",
  description: "Notes in the example Notes CRM, upserted by external id",
  config,
  capabilities: {
    operations: ["upsert", "delete"],
    maxRecords: MAX_NOTES,
    rateLimit: { requests: 20, windowMs: 1_000 },
    concurrency: 2,
    timeoutMs: 15_000,
    matchingKeys: ["externalId"],
  },
  /** @param {Context} ctx */
  async check(ctx) {
    await notesApi.request(ctx, "GET", "v1/me");
  },
  /**
   * @param {Context} ctx
   * @param {import("syncline/sdk").WriteBatch} batch
   */
  async write(ctx, batch) {
    return batch.operation === "delete" ? remove(ctx, batch.records) : upsert(ctx, batch.records);
  },
});
