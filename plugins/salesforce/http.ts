import {
  ConfigurationError,
  classify,
  type DestinationContext,
  errorForStatus,
  QuotaExhaustedError,
  RateLimitError,
  type SynclineError,
} from "syncline/sdk";
import { invalidate, type Session, session } from "./auth.ts";
import type { SalesforceConfig } from "./config.ts";

export interface SalesforceResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  /** Parsed JSON, or the text for CSV and other bodies. */
  body: unknown;
}

export interface CallOptions {
  json?: unknown;
  /** A raw body (CSV), sent with `contentType`. */
  body?: string;
  contentType?: string;
  accept?: string;
}

/** Refreshes one call may make when the sessions it is given keep expiring under it. */
const MAX_REFRESHES = 5;

/**
 * One call to the org's REST API with the cached session. A 401 (INVALID_SESSION_ID) gets a
 * fresh token and another try. A new session refused while no call ever got through with it
 * (and none is still trying) is a credentials problem. One that other calls used, or are still
 * using, has expired under them (calls in flight can use up a new session before this call's
 * retry reaches it), so it is refreshed again, a few times at most.
 */
export async function salesforceCall(
  ctx: DestinationContext<SalesforceConfig>,
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  options: CallOptions = {},
): Promise<SalesforceResponse> {
  let current = await session(ctx);
  let response = await send(ctx, current, method, path, options);
  for (let refreshes = 0; response.status === 401; refreshes++) {
    const unproven = !current.accepted && (current.inFlight ?? 0) === 0;
    if (refreshes === MAX_REFRESHES || (refreshes > 0 && unproven)) {
      throw new ConfigurationError(`Salesforce refused a fresh access token (${describeError(response.body)})`, {
        code: "auth_failed",
        fix: "check that the connected app's user may use the API and the token's scopes include api",
      });
    }
    await invalidate(ctx, current);
    current = await session(ctx);
    response = await send(ctx, current, method, path, options);
  }
  const usage = response.headers.get("sforce-limit-info");
  if (usage) ctx.logger.debug({ usage }, "salesforce api usage");
  return response;
}

/** Like salesforceCall, but throws the classified error for any non-2xx answer. */
export async function salesforceRequest(
  ctx: DestinationContext<SalesforceConfig>,
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  options: CallOptions = {},
): Promise<unknown> {
  const response = await salesforceCall(ctx, method, path, options);
  if (!response.ok) throw salesforceError(ctx.config, response);
  return response.body;
}

/**
 * The SynclineError for a failed call. REQUEST_LIMIT_EXCEEDED (403) means one of two limits:
 * the org's API request allocation over a rolling 24 hours — a quota, waiting minutes does not
 * help — or its concurrent long-running requests, which free up in seconds (a rate limit,
 * waited out for `limitWaitMs`, as Salesforce sends no Retry-After).
 */
export function salesforceError(config: SalesforceConfig, response: SalesforceResponse): SynclineError {
  const code = errorCodeOf(response.body);
  if (code === "REQUEST_LIMIT_EXCEEDED") {
    const detail = describeError(response.body);
    const usage = apiUsage(response.headers);
    if (allocationUsedUp(usage, detail)) {
      return new QuotaExhaustedError(
        `Salesforce refused the call: ${detail}${usage ? ` (api-usage ${usage.used}/${usage.max})` : ""}`,
        {
          quota: "the org's daily API request allocation (a rolling 24 hours)",
          fix: "requests free up as they age past 24 hours: run again later, raise the allocation (Setup → Company Information), or sync less often",
        },
      );
    }
    return new RateLimitError(`Salesforce API limit exceeded: ${detail}`, {
      retryAfterMs: config.limitWaitMs,
      fix: "too many long-running requests at once in the org; Syncline waits limitWaitMs and tries again",
    });
  }
  return errorForStatus(response.status, response.headers, describeError(response.body));
}

/** `Sforce-Limit-Info: api-usage=<used>/<max>`, which Salesforce sends with its answers. */
function apiUsage(headers: Headers): { used: number; max: number } | undefined {
  const match = /api-usage=(\d+)\/(\d+)/.exec(headers.get("sforce-limit-info") ?? "");
  return match ? { used: Number(match[1]), max: Number(match[2]) } : undefined;
}

/**
 * Whether the daily allocation is what ran out: by the usage header when the answer has it;
 * otherwise by the limit Salesforce names (its only other sign: the error code is the same).
 */
function allocationUsedUp(usage: { used: number; max: number } | undefined, detail: string): boolean {
  if (usage) return usage.used >= usage.max;
  return detail.includes("TotalRequests");
}

/** `[{errorCode, message}]` (or one such object) as "CODE: message". */
export function describeError(body: unknown): string {
  const first = Array.isArray(body) ? body[0] : body;
  if (first && typeof first === "object") {
    const { errorCode, message } = first as { errorCode?: unknown; message?: unknown };
    return [errorCode, message].filter((part) => typeof part === "string").join(": ");
  }
  return typeof body === "string" ? body.slice(0, 300) : "";
}

function errorCodeOf(body: unknown): string | undefined {
  const first = Array.isArray(body) ? body[0] : body;
  const code = (first as { errorCode?: unknown } | null)?.errorCode;
  return typeof code === "string" ? code : undefined;
}

async function send(
  ctx: DestinationContext<SalesforceConfig>,
  current: Session,
  method: string,
  path: string,
  options: CallOptions,
): Promise<SalesforceResponse> {
  let response: Response;
  current.inFlight = (current.inFlight ?? 0) + 1;
  try {
    response = await ctx.http(`${current.instanceUrl}/${path}`, {
      method,
      ...(options.json !== undefined ? { json: options.json } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
      headers: {
        authorization: `Bearer ${current.accessToken}`,
        accept: options.accept ?? "application/json",
        ...(options.contentType ? { "content-type": options.contentType } : {}),
      },
      signal: ctx.signal,
      throwHttpErrors: false,
    });
  } catch (error) {
    throw classify(error);
  } finally {
    current.inFlight = (current.inFlight ?? 1) - 1;
  }
  // Noted as soon as the status is known, so calls refused with this session can tell it worked.
  if (response.status !== 401) current.accepted = true;
  const text = await response.text().catch(() => "");
  const isJson = (response.headers.get("content-type") ?? "").includes("json");
  return { status: response.status, ok: response.ok, headers: response.headers, body: isJson ? parseJson(text) : text };
}

function parseJson(text: string): unknown {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}
