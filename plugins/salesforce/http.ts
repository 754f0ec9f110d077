import {
  ConfigurationError,
  classify,
  type DestinationContext,
  errorForStatus,
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

/** The SynclineError for a failed call. REQUEST_LIMIT_EXCEEDED (403) is a rate limit. */
export function salesforceError(config: SalesforceConfig, response: SalesforceResponse): SynclineError {
  const code = errorCodeOf(response.body);
  if (code === "REQUEST_LIMIT_EXCEEDED") {
    return new RateLimitError(`Salesforce API limit exceeded: ${describeError(response.body)}`, {
      retryAfterMs: config.limitWaitMs,
      fix: "the org's API request limit is used up; wait, or raise it in Salesforce",
    });
  }
  return errorForStatus(response.status, response.headers, describeError(response.body));
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
