import ky, { isHTTPError } from "ky";
import { DEFAULTS } from "../config/defaults.ts";
import { classify } from "../sdk/errors/classify.ts";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import { errorForStatus } from "../sdk/errors/http-status.ts";
import { PermanentError } from "../sdk/errors/permanent-error.ts";
import type { SynclineError } from "../sdk/errors/syncline-error.ts";
import type { Channel } from "./channels/index.ts";
import type { Notification } from "./notification.ts";
import { truncate } from "./truncate.ts";

export type Delivery =
  | { accepted: true; requests: number }
  | { accepted: false; requests: number; error: SynclineError; message: string };

export type Send = (channel: Channel, notification: Notification, signal?: AbortSignal) => Promise<Delivery>;

export interface SendOptions {
  /** Retries within one delivery (429, 5xx, timeouts, connection errors), with exponential backoff. */
  retries: number;
  backoffLimitMs: number;
  /** Masks secrets in the error texts a delivery returns (a service may echo the URL or the key). */
  redact: (text: string) => string;
}

/** How a delivery retries under `run` and `serve`. */
export const SEND_RETRIES = { retries: DEFAULTS.alerts.retries, backoffLimitMs: DEFAULTS.alerts.backoffLimitMs };

/**
 * Sends notifications with ky: retried with exponential backoff (±20% jitter) when the error
 * is transient — decided by class (SDK classify / errorForStatus), never by message — and
 * honouring `Retry-After`. Only an answer the channel confirms counts as accepted.
 */
export function createSender(options: SendOptions): Send {
  const http = ky.create({
    retry: {
      limit: options.retries,
      methods: ["post"],
      backoffLimit: options.backoffLimitMs,
      maxRetryAfter: DEFAULTS.alerts.backoffLimitMs * 6,
      jitter: (delay) => delay * (0.8 + Math.random() * 0.4),
      retryOnTimeout: true,
      shouldRetry: ({ error }) => classify(error).kind === "transient",
    },
  });
  return async (channel, notification, signal) => {
    let requests = 0; // retries included
    const count = () => {
      requests++;
    };
    try {
      for (const request of channel.requests(notification)) {
        count();
        const response = await http.post(request.url, {
          body: request.body,
          headers: request.headers,
          timeout: channel.timeoutMs,
          ...(signal ? { signal } : {}),
          hooks: { beforeRetry: [count] },
        });
        const refusal = channel.refusal(response.status, await response.text());
        if (refusal) throw new PermanentError(refusal, { code: "refused" });
      }
      return { accepted: true, requests };
    } catch (error) {
      const reason = describeFailure(error);
      return { accepted: false, requests, error: reason, message: options.redact(reason.describe()) };
    }
  };
}

/** The error by class; for an HTTP error, with what the service said (Slack's `invalid_token`, PagerDuty's errors). */
function describeFailure(error: unknown): SynclineError {
  if (!isHTTPError(error)) return classify(error);
  const data = error.data;
  const detail =
    data === undefined ? error.response.statusText : typeof data === "string" ? data : JSON.stringify(data);
  const reason = errorForStatus(error.response.status, error.response.headers, truncate(detail.trim(), 300));
  if (reason.kind !== "configuration") return reason;
  return new ConfigurationError(reason.message, { code: reason.code, fix: "check the channel's URL, key and headers" });
}
