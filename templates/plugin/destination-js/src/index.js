// A Syncline destination plugin. Syncline's engine owns batching, pacing, retries and the
// retry ledger; this file maps one batch of records to one outcome per record.
//
// The API it talks to (replace it with yours):
//   GET  /v1/me                 200, or 401 for a bad key
//   POST /v1/{object}/upsert    {records: [{externalId, fields}]} (at most 100)
//                               → 200 {results: [{externalId, id} | {externalId, error: {code, message}}]}
//   POST /v1/{object}/delete    {externalIds: [...]} → 200 {results: [{externalId} | {externalId, error}]}
// Auth: `Authorization: Bearer <apiKey>`. Rate limit: 10 requests a second (429 + Retry-After).
import { defineDestination, httpApi, ok, reject, retry, secret } from "syncline/sdk";
import * as v from "valibot";

const config = v.object({
  apiKey: v.pipe(v.string(), v.minLength(1, "apiKey is required"), secret()),
  baseUrl: v.optional(v.pipe(v.string(), v.url()), "https://api.example.com"),
});

/** @typedef {v.InferOutput<typeof config>} Config */
/** @typedef {import("syncline/sdk").DestinationContext<Config>} Context */
/** @typedef {import("syncline/sdk").DestinationRecord} DestinationRecord */
/** @typedef {import("syncline/sdk").Outcome} Outcome */
/** @typedef {{ externalId: string, id?: string, error?: { code: string, message: string } }} ApiResult */
/** @typedef {{ results?: ApiResult[], error?: { code: string, message: string } }} ApiBody */

/**
 * The API as the SDK calls it: through ctx.http (the engine's timeout, tracing and inspector),
 * every refusal classified once (401/403 → ConfigurationError, 429 → RateLimitError with
 * Retry-After, 5xx and network errors → TransientError). Only what is specific to this API is here.
 * @type {import("syncline/sdk").HttpApi<Config>}
 */
const api = httpApi({
  headers: (ctx) => ({ authorization: `Bearer ${ctx.config.apiKey}` }),
  detail: (body) => /** @type {ApiBody | undefined} */ (body)?.error?.message ?? "",
});

/**
 * @param {Context} ctx
 * @param {string} path
 * @param {unknown} [json]
 * @returns {Promise<ApiBody>}
 */
async function call(ctx, path, json) {
  const body = await api.request(ctx, json === undefined ? "GET" : "POST", path, json === undefined ? {} : { json });
  return /** @type {ApiBody} */ (body ?? {});
}

/**
 * One outcome per record, from the API's per-record results.
 * @param {DestinationRecord[]} records
 * @param {ApiBody} body
 * @param {boolean} withId
 * @returns {Outcome[]}
 */
function outcomes(records, body, withId) {
  const results = new Map((body.results ?? []).map((result) => [result.externalId, result]));
  return records.map((record) => {
    const result = results.get(record.key);
    if (!result) return retry(record, { code: "no_result", message: "the API returned no result for this record" });
    if (result.error) return reject(record, { code: result.error.code, message: result.error.message });
    return ok(record, withId ? result.id : null);
  });
}

export default defineDestination({
  name: "__PLUGIN_NAME__", // the `type:` users write in syncline.yaml
  description: "Records upserted by external id",
  config,
  capabilities: {
    operations: ["upsert", "delete"],
    maxRecords: 100,
    rateLimit: { requests: 10, windowMs: 1_000 },
    concurrency: 2,
    timeoutMs: 30_000,
  },
  /** @param {Context} ctx */
  async check(ctx) {
    await call(ctx, "v1/me");
  },
  /**
   * @param {Context} ctx
   * @param {import("syncline/sdk").WriteBatch} batch
   */
  async write(ctx, batch) {
    const path = `v1/${encodeURIComponent(batch.object)}`;
    if (batch.operation === "delete") {
      const body = await call(ctx, `${path}/delete`, { externalIds: batch.records.map((record) => record.key) });
      return outcomes(batch.records, body, false);
    }
    const records = batch.records.map((record) => ({ externalId: record.key, fields: record.fields }));
    return outcomes(batch.records, await call(ctx, `${path}/upsert`, { records }), true);
  },
});
