import { sign } from "../../sdk/signature.ts";
import type { ChannelConfig } from "../config.ts";
import type { Notification } from "../notification.ts";
import { type Channel, JSON_HEADERS } from "./channel.ts";

type WebhookConfig = Extract<ChannelConfig, { type: "webhook" }>;

/**
 * Any HTTP endpoint: the notification as JSON, as it is. `Idempotency-Key` is the
 * notification's id, so a receiver can drop a delivery retried after a lost answer; with a
 * secret, `X-Syncline-Signature` signs the body like the webhook destination does.
 */
export function webhookChannel(config: WebhookConfig): Channel {
  return {
    name: config.name,
    type: "webhook",
    timeoutMs: config.timeoutMs,
    requests(notification: Notification) {
      const body = JSON.stringify(notification);
      const headers: Record<string, string> = {
        ...JSON_HEADERS,
        "idempotency-key": notification.id,
        "x-syncline-event": `alert.${notification.kind}`,
        ...config.headers,
      };
      if (config.secret) headers["x-syncline-signature"] = sign(config.secret, body);
      return [{ url: config.url, headers, body }];
    },
    refusal: () => undefined,
  };
}
