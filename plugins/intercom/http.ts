import {
  ConfigurationError,
  classify,
  type DestinationContext,
  errorForStatus,
  type SynclineError,
} from "syncline/sdk";
import type { IntercomConfig } from "./config.ts";
import { assertNotPaused, noteLimits } from "./rate-limit.ts";

export interface IntercomResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  body: unknown;
}

/** Intercom's error body: `{type: "error.list", request_id, errors: [{code, message}]}`. */
export interface IntercomError {
  code: string;
  message: string;
}

/** One call to Intercom; network failures become SynclineErrors, HTTP errors are returned. */
export async function intercomCall(
  ctx: DestinationContext<IntercomConfig>,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  json?: unknown,
): Promise<IntercomResponse> {
  assertNotPaused(ctx);
  let response: Response;
  try {
    response = await ctx.http(path, {
      method,
      ...(json === undefined ? {} : { json }),
      headers: {
        authorization: `Bearer ${ctx.config.accessToken}`,
        accept: "application/json",
        "intercom-version": ctx.config.intercomVersion,
      },
      signal: ctx.signal,
      throwHttpErrors: false,
    });
  } catch (error) {
    throw classify(error);
  }
  noteLimits(ctx, response.headers);
  const text = await response.text().catch(() => "");
  return { status: response.status, ok: response.ok, headers: response.headers, body: parseJson(text) };
}

/** Like intercomCall, but throws the classified error for any non-2xx answer. */
export async function intercomRequest(
  ctx: DestinationContext<IntercomConfig>,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  json?: unknown,
): Promise<unknown> {
  const response = await intercomCall(ctx, method, path, json);
  if (!response.ok) throw intercomError(response);
  return response.body;
}

export function intercomError(response: IntercomResponse): SynclineError {
  const first = firstError(response.body);
  const detail = first ? `${first.code}: ${first.message}` : "";
  if (response.status === 401) {
    return new ConfigurationError(`Intercom refused the access token (HTTP 401${detail ? `: ${detail}` : ""})`, {
      code: "http_401",
      path: "accessToken",
      fix: "the token was revoked or the app uninstalled: set accessToken to a current access token (Developer Hub → your app → Authentication) and run again",
    });
  }
  return errorForStatus(response.status, response.headers, detail);
}

export function firstError(body: unknown): IntercomError | undefined {
  const errors = (body as { errors?: unknown } | null)?.errors;
  const first = Array.isArray(errors) ? (errors[0] as Partial<IntercomError> | undefined) : undefined;
  if (!first) return undefined;
  return { code: String(first.code ?? "error"), message: String(first.message ?? "Intercom refused the request") };
}

function parseJson(text: string): unknown {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}
