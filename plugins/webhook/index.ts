import { type DestinationContext, type DestinationRecord, defineDestination, httpApi, recordsJson } from "syncline/sdk";
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
    await send(ctx, "_check", "upsert", []);
  },

  async write(ctx, batch) {
    const body = await send(ctx, batch.object, batch.operation, batch.records);
    return outcomesFrom(body, batch.records);
  },
});

/** The receiver: any status it answers is classified by the SDK's one status table. */
const receiver = httpApi<WebhookConfig>();

/**
 * POSTs `{ object, operation, records }`, signed when a secret is set; the receiver's body,
 * parsed when it is JSON. The records' JSON is the SDK's (recordsJson): written from what the
 * engine staged, not parsed and serialised again per record.
 */
function send(
  ctx: DestinationContext<WebhookConfig>,
  object: string,
  operation: string,
  records: readonly DestinationRecord[],
): Promise<unknown> {
  const { config } = ctx;
  const body = `{"object":${JSON.stringify(object)},"operation":${JSON.stringify(operation)},"records":${recordsJson(records)}}`;
  const headers: Record<string, string> = { "content-type": "application/json", ...config.headers };
  if (config.secret) headers["x-syncline-signature"] = sign(config.secret, body);
  return receiver.request(ctx, "POST", config.url ?? config.baseUrl!, { body, headers });
}
