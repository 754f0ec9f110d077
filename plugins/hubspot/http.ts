import {
  ConfigurationError,
  classify,
  type DestinationContext,
  errorForStatus,
  type SynclineError,
} from "syncline/sdk";
import type { HubSpotConfig } from "./config.ts";
import { assertNotPaused, noteLimits, rateLimitError } from "./rate-limit.ts";

export interface HubSpotResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  body: unknown;
}

/** HubSpot's error body: `{status: "error", message, category, correlationId, context}`. */
export interface HubSpotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  context?: Record<string, unknown>;
}

/**
 * One call to HubSpot. Network failures and timeouts become SynclineErrors; HTTP errors are
 * returned (`ok: false`) so the caller can read a multi-status or error body.
 */
export async function hubspotCall(
  ctx: DestinationContext<HubSpotConfig>,
  method: "GET" | "POST",
  path: string,
  json?: unknown,
): Promise<HubSpotResponse> {
  assertNotPaused(ctx);
  let response: Response;
  try {
    response = await ctx.http(path, {
      method,
      json,
      headers: { authorization: `Bearer ${ctx.config.accessToken}`, accept: "application/json" },
      signal: ctx.signal,
      throwHttpErrors: false,
    });
  } catch (error) {
    throw classify(error);
  }
  noteLimits(ctx, response.headers, response.status);
  const text = await response.text().catch(() => "");
  return { status: response.status, ok: response.ok, headers: response.headers, body: parseJson(text) };
}

/** Like hubspotCall, but throws the classified error for any non-2xx answer. */
export async function hubspotGet(ctx: DestinationContext<HubSpotConfig>, path: string): Promise<unknown> {
  const response = await hubspotCall(ctx, "GET", path);
  if (!response.ok) throw hubspotError(response);
  return response.body;
}

/** The SynclineError for a failed call, with HubSpot's category and message as the detail. */
export function hubspotError(response: HubSpotResponse): SynclineError {
  if (response.status === 429) return rateLimitError(response.headers, response.body);
  const detail = describeError(response.body);
  if (response.status === 401) {
    return new ConfigurationError(`HubSpot refused the access token (HTTP 401${detail ? `: ${detail}` : ""})`, {
      code: "http_401",
      path: "accessToken",
      fix: "the token was revoked, rotated or has expired: set accessToken to the private app's current access token (Settings → Integrations → Private Apps) and run again",
    });
  }
  if (response.status === 403) {
    return new ConfigurationError(`HubSpot refused the call (HTTP 403${detail ? `: ${detail}` : ""})`, {
      code: "http_403",
      path: "accessToken",
      fix: "give the private app behind accessToken the scopes this object needs (for example crm.objects.contacts.write)",
    });
  }
  return errorForStatus(response.status, response.headers, detail);
}

export function describeError(body: unknown): string {
  const error = body as HubSpotErrorBody | null;
  if (!error || typeof error !== "object") return typeof body === "string" ? body.slice(0, 300) : "";
  const parts = [error.category, error.message].filter((part): part is string => typeof part === "string");
  return parts.join(": ");
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
