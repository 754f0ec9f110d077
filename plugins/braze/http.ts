import {
  ConfigurationError,
  classify,
  type DestinationContext,
  errorForStatus,
  RateLimitError,
  type SynclineError,
} from "syncline/sdk";
import type { BrazeConfig } from "./config.ts";
import { assertNotPaused, noteLimits } from "./rate-limit.ts";

export interface BrazeResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  body: unknown;
}

/** Braze's answer body: `{message, errors?: [{type, input_array, index}]}` (plus counts). */
export interface BrazeBody {
  message?: unknown;
  errors?: unknown;
}

/** A 429 without any reset header waits this long: one of Braze's 3-second windows. */
const DEFAULT_RETRY_MS = 3_000;

/** One POST to Braze. Network failures and timeouts become SynclineErrors; HTTP errors are returned. */
export async function brazeCall(
  ctx: DestinationContext<BrazeConfig>,
  path: string,
  json: unknown,
): Promise<BrazeResponse> {
  assertNotPaused(ctx, path);
  let response: Response;
  try {
    response = await ctx.http.post(path, {
      json,
      headers: { authorization: `Bearer ${ctx.config.apiKey}`, accept: "application/json" },
      signal: ctx.signal,
      throwHttpErrors: false,
    });
  } catch (error) {
    throw classify(error);
  }
  noteLimits(ctx, path, response.headers, response.status);
  const text = await response.text().catch(() => "");
  return { status: response.status, ok: response.ok, headers: response.headers, body: parseJson(text) };
}

/** The SynclineError for a refused call, classified by what to do about it. */
export function brazeError(response: BrazeResponse): SynclineError {
  const detail = messageOf(response.body);
  const suffix = detail ? `: ${detail}` : "";
  if (response.status === 401) {
    return new ConfigurationError(`Braze refused the REST API key (HTTP 401${suffix})`, {
      code: "http_401",
      path: "apiKey",
      fix: "set apiKey to a current REST API key of this workspace (Settings → APIs and Identifiers) and check that baseUrl is the workspace's REST endpoint",
    });
  }
  if (response.status === 403) {
    return new ConfigurationError(`Braze refused the call with this REST API key (HTTP 403${suffix})`, {
      code: "http_403",
      path: "apiKey",
      fix: "give the REST API key the users.track permission (and users.delete for mirror syncs)",
    });
  }
  if (response.status === 404) {
    return new ConfigurationError(`Braze has no such endpoint at baseUrl (HTTP 404${suffix})`, {
      code: "http_404",
      path: "baseUrl",
      fix: "set baseUrl to the workspace's REST endpoint, for example https://rest.iad-01.braze.com (Settings → APIs and Identifiers)",
    });
  }
  const error = errorForStatus(response.status, response.headers, detail);
  if (error instanceof RateLimitError && error.retryAfterMs === undefined) {
    return new RateLimitError(error.message, { retryAfterMs: DEFAULT_RETRY_MS });
  }
  return error;
}

export function messageOf(body: unknown): string {
  if (typeof body === "string") return body.slice(0, 300);
  const message = (body as BrazeBody | null | undefined)?.message;
  return typeof message === "string" ? message : "";
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
