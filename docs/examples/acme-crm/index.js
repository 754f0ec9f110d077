// index.js — plain ESM JavaScript; Node loads it from node_modules as it is.
import { defineDestination, httpApi, ok, reject, retry, secret } from "syncline/sdk";
import * as v from "valibot";

// Acme's API as every call sees it: the key on each request, the body parsed, and a refusal
// classified once (401/403: the apiKey option; 429: wait for Retry-After; 5xx: retry).
const acme = httpApi({
  headers: (ctx) => ({ authorization: `Key ${ctx.config.apiKey}` }),
  wording: { refused: { 401: { message: "Acme refused the API key", path: "apiKey", fix: "set a current apiKey" } } },
});

export default defineDestination({
  name: "acme-crm", // the `type:` users write in syncline.yaml
  description: "People in Acme CRM, upserted by external id",
  config: v.object({
    apiKey: v.pipe(v.string(), v.minLength(1, "apiKey is required"), secret()),
    baseUrl: v.optional(v.pipe(v.string(), v.url()), "https://api.acme.example"),
  }),
  capabilities: {
    operations: ["upsert", "delete"],
    maxRecords: 100, // records per call
    maxBytes: 1_000_000, // serialised fields per call
    rateLimit: { requests: 50, windowMs: 10_000 }, // for every sync sharing this destination
    concurrency: 4, // calls in flight
    timeoutMs: 15_000, // per call
  },
  async check(ctx) {
    await acme.request(ctx, "GET", "v1/me"); // throws the classified error unless Acme answers 2xx
  },
  async write(ctx, batch) {
    const body = await acme.request(ctx, "POST", `v1/${batch.object}/batch`, {
      json: { operation: batch.operation, items: batch.records.map((r) => ({ id: r.key, ...r.fields })) },
    });
    const results = new Map((body?.results ?? []).map((result) => [result.id, result]));
    return batch.records.map((record) => {
      const result = results.get(record.key);
      if (!result) return retry(record, { code: "no_result", message: "Acme did not answer for this record" });
      if (result.error) return reject(record, { code: result.error.code, message: result.error.message });
      return ok(record, result.remoteId); // the remote id comes back as record.remoteId later
    });
  },
});
