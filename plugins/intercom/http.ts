import { httpApi } from "syncline/sdk";
import type { IntercomConfig } from "./config.ts";
import { noteLimits } from "./rate-limit.ts";

/** Intercom's error body: `{type: "error.list", request_id, errors: [{code, message}]}`. */
export interface IntercomError {
  code: string;
  message: string;
}

/**
 * Intercom's API: the access token and `Intercom-Version` on every call, its rate-limit headers
 * read from every answer, its first error's code and message as the detail of a refusal.
 */
export const intercomApi = httpApi<IntercomConfig>({
  headers: (ctx) => ({
    authorization: `Bearer ${ctx.config.accessToken}`,
    accept: "application/json",
    "intercom-version": ctx.config.intercomVersion,
  }),
  onResponse: (ctx, result) => noteLimits(ctx, result.headers),
  detail: (body) => {
    const first = firstError(body);
    return first ? `${first.code}: ${first.message}` : "";
  },
  wording: {
    refused: {
      401: {
        message: "Intercom refused the access token",
        path: "accessToken",
        fix: "the token was revoked or the app uninstalled: set accessToken to a current access token (Developer Hub → your app → Authentication) and run again",
      },
    },
  },
});

export function firstError(body: unknown): IntercomError | undefined {
  const errors = (body as { errors?: unknown } | null)?.errors;
  const first = Array.isArray(errors) ? (errors[0] as Partial<IntercomError> | undefined) : undefined;
  if (!first) return undefined;
  return { code: String(first.code ?? "error"), message: String(first.message ?? "Intercom refused the request") };
}
