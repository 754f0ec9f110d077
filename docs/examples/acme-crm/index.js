// index.js — plain ESM JavaScript; Node loads it from node_modules as it is.
import { classify, defineDestination, errorForStatus, ok, reject, retry, secret } from "syncline/sdk";
import * as v from "valibot";

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
    try {
      await ctx.http.get("v1/me", { headers: { authorization: `Key ${ctx.config.apiKey}` }, signal: ctx.signal });
    } catch (error) {
      throw classify(error); // ky's HTTPError for a 401 or 403 becomes a ConfigurationError
    }
  },
  async write(ctx, batch) {
    let response;
    try {
      response = await ctx.http.post(`v1/${batch.object}/batch`, {
        json: { operation: batch.operation, items: batch.records.map((r) => ({ id: r.key, ...r.fields })) },
        headers: { authorization: `Key ${ctx.config.apiKey}` },
        signal: ctx.signal,
        throwHttpErrors: false,
      });
    } catch (error) {
      throw classify(error); // network errors and timeouts become transient errors
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw errorForStatus(response.status, response.headers, body.message ?? "");
    const results = new Map((body.results ?? []).map((result) => [result.id, result]));
    return batch.records.map((record) => {
      const result = results.get(record.key);
      if (!result) return retry(record, { code: "no_result", message: "Acme did not answer for this record" });
      if (result.error) return reject(record, { code: result.error.code, message: result.error.message });
      return ok(record, result.remoteId); // the remote id comes back as record.remoteId later
    });
  },
});
