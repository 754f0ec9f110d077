import { defineDestination } from "syncline/sdk";
import { type WebhookConfig, webhookConfig } from "./config.ts";
import { outcomesFrom } from "./response.ts";
import { sign } from "./signature.ts";

/**
 * Batched JSON POSTs to a URL: `{ object, operation, records: [{ key, keyValues, fields, remoteId }] }`,
 * optionally signed with HMAC-SHA256. Per-record outcomes are read from the response when it
 * has them (`{ results: [...] }`); otherwise a 2xx accepts the whole batch, and any other
 * status is mapped to retry / reject / configuration by the SDK's one status table.
 */
export default defineDestination<WebhookConfig>({
  name: "webhook",
  description: "Batched JSON POST to a URL, optionally HMAC-signed",
  config: webhookConfig,
  capabilities: (config) => ({
    operations: ["upsert", "update", "insert", "delete"],
    maxRecords: config.maxRecords,
    maxBytes: config.maxBytes,
    rateLimit: config.rateLimit,
    concurrency: config.concurrency,
    timeoutMs: config.timeoutMs,
  }),

  async check(ctx) {
    // A receiver need not implement anything but POST; an empty batch proves reachability and auth.
    await send(ctx.config, ctx.http, { object: "_check", operation: "upsert", records: [] }, ctx.signal);
  },

  async write(ctx, batch) {
    const body = await send(
      ctx.config,
      ctx.http,
      {
        object: batch.object,
        operation: batch.operation,
        records: batch.records.map(({ key, keyValues, fields, remoteId }) => ({ key, keyValues, fields, remoteId })),
      },
      ctx.signal,
    );
    return outcomesFrom(body, batch.records);
  },
});

async function send(
  config: WebhookConfig,
  http: import("ky").KyInstance,
  payload: unknown,
  signal: AbortSignal,
): Promise<unknown> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", ...config.headers };
  if (config.secret) headers["x-syncline-signature"] = sign(config.secret, body);
  const response = await http.post(config.url ?? config.baseUrl!, { body, headers, signal });
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
