import { ConfigurationError, httpApi } from "syncline/sdk";
import type { BrazeConfig } from "./config.ts";
import { noteLimits } from "./rate-limit.ts";

/** Braze's answer body: `{message, errors?: [{type, input_array, index}]}` (plus counts). */
export interface BrazeBody {
  message?: unknown;
  errors?: unknown;
}

/**
 * Braze's REST API: the REST API key on every call, its rate-limit headers read from every
 * answer, its `message` as the detail of a refusal. A 404 means baseUrl is not a workspace's
 * REST endpoint; a 429 without any reset header waits one of Braze's 3-second windows.
 */
export const brazeApi = httpApi<BrazeConfig>({
  headers: (ctx) => ({ authorization: `Bearer ${ctx.config.apiKey}`, accept: "application/json" }),
  onResponse: (ctx, result, call) => noteLimits(ctx, call.path, result.headers, result.status),
  detail: messageOf,
  classify: (result) => {
    if (result.status !== 404) return undefined;
    const detail = messageOf(result.body);
    return new ConfigurationError(`Braze has no such endpoint at baseUrl (HTTP 404${detail ? `: ${detail}` : ""})`, {
      code: "http_404",
      path: "baseUrl",
      fix: "set baseUrl to the workspace's REST endpoint, for example https://rest.iad-01.braze.com (Settings → APIs and Identifiers)",
    });
  },
  wording: {
    rateLimitWaitMs: 3_000,
    refused: {
      401: {
        message: "Braze refused the REST API key",
        path: "apiKey",
        fix: "set apiKey to a current REST API key of this workspace (Settings → APIs and Identifiers) and check that baseUrl is the workspace's REST endpoint",
      },
      403: {
        message: "Braze refused the call with this REST API key",
        path: "apiKey",
        fix: "give the REST API key the users.track permission (and users.delete for mirror syncs)",
      },
    },
  },
});

export function messageOf(body: unknown): string {
  if (typeof body === "string") return body.slice(0, 300);
  const message = (body as BrazeBody | null | undefined)?.message;
  return typeof message === "string" ? message : "";
}
