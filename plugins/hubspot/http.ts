import { httpApi } from "syncline/sdk";
import type { HubSpotConfig } from "./config.ts";
import { DEFAULT_INTERVAL_MS, dailyLimitError, noteLimits, readLimits } from "./rate-limit.ts";

/** HubSpot's error body: `{status: "error", message, category, correlationId, context}`. */
export interface HubSpotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  context?: Record<string, unknown>;
}

/**
 * HubSpot's API: the private app's token on every call, its rate-limit headers read from every
 * answer, its category and message as the detail of a refusal, and a 429 that names the daily
 * limit as a quota. A 429 without Retry-After waits the interval HubSpot reports.
 */
export const hubspotApi = httpApi<HubSpotConfig>({
  headers: (ctx) => ({ authorization: `Bearer ${ctx.config.accessToken}`, accept: "application/json" }),
  onResponse: (ctx, result) => noteLimits(ctx, result.headers, result.status),
  detail: describeError,
  classify: (result) => (result.status === 429 ? dailyLimitError(result.body) : undefined),
  wording: (result) => ({
    rateLimitWaitMs: readLimits(result.headers).intervalMs ?? DEFAULT_INTERVAL_MS,
    refused: {
      401: {
        message: "HubSpot refused the access token",
        path: "accessToken",
        fix: "the token was revoked, rotated or has expired: set accessToken to the private app's current access token (Settings → Integrations → Private Apps) and run again",
      },
      403: {
        message: "HubSpot refused the call",
        path: "accessToken",
        fix: "give the private app behind accessToken the scopes this object needs (for example crm.objects.contacts.write)",
      },
    },
  }),
});

export function describeError(body: unknown): string {
  const error = body as HubSpotErrorBody | null;
  if (!error || typeof error !== "object") return typeof body === "string" ? body.slice(0, 300) : "";
  const parts = [error.category, error.message].filter((part): part is string => typeof part === "string");
  return parts.join(": ");
}
