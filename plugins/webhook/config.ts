import { secret } from "syncline/sdk";
import * as v from "valibot";

export const webhookConfig = v.pipe(
  v.strictObject({
    /** Where batches are POSTed. `baseUrl` is accepted as a synonym, like every HTTP destination. */
    url: v.optional(v.pipe(v.string(), v.url("must be an absolute URL, for example https://example.com/hooks/crm"))),
    baseUrl: v.optional(v.pipe(v.string(), v.url("must be an absolute URL"))),
    /** Shared secret: each request carries `X-Syncline-Signature: t=<unix>,v1=<hex HMAC-SHA256>`. */
    secret: v.optional(v.pipe(v.string(), v.minLength(16, "must be at least 16 characters"), secret())),
    /** Extra headers, for example an Authorization header (values are treated as secrets). */
    headers: v.optional(v.pipe(v.record(v.string(), v.string()), secret())),
    maxRecords: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 100),
    maxBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1024)), 1_000_000),
    rateLimit: v.optional(
      v.strictObject({
        requests: v.pipe(v.number(), v.integer(), v.minValue(1)),
        windowMs: v.pipe(v.number(), v.integer(), v.minValue(1)),
      }),
    ),
    concurrency: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 4),
    timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100)), 30_000),
  }),
  v.check((config) => Boolean(config.url ?? config.baseUrl), "url: required — the endpoint that receives the batches"),
);

export type WebhookConfig = v.InferOutput<typeof webhookConfig>;
