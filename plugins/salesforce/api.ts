import { type HttpResult, httpApi, QuotaExhaustedError, RateLimitError, type SynclineError } from "syncline/sdk";
import type { SalesforceConfig } from "./config.ts";

/**
 * Salesforce's REST API: `[{errorCode, message}]` as the detail of a refusal, REQUEST_LIMIT_EXCEEDED
 * read for which limit it is, the org's API usage logged from every answer. The session's token
 * is the caller's (salesforceCall), since it changes under concurrent calls.
 */
export const salesforceApi = httpApi<SalesforceConfig>({
  detail: describeError,
  classify: (result, ctx) => limitError(ctx.config, result),
  onResponse: (ctx, result) => {
    const usage = result.headers.get("sforce-limit-info");
    if (usage) ctx.logger.debug({ usage }, "salesforce api usage");
  },
});

/**
 * REQUEST_LIMIT_EXCEEDED (403) means one of two limits:
 * the org's API request allocation over a rolling 24 hours — a quota, waiting minutes does not
 * help — or its concurrent long-running requests, which free up in seconds (a rate limit,
 * waited out for `limitWaitMs`, as Salesforce sends no Retry-After).
 */
function limitError(config: SalesforceConfig, response: HttpResult): SynclineError | undefined {
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
  return undefined;
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
