import { ConfigurationError, type DestinationContext, type HttpMethod, type HttpResult } from "syncline/sdk";
import { describeError, salesforceApi } from "./api.ts";
import { invalidate, type Session, session } from "./auth.ts";
import type { SalesforceConfig } from "./config.ts";

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
  method: HttpMethod,
  path: string,
  options: CallOptions = {},
): Promise<HttpResult> {
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
  return response;
}

/** Like salesforceCall, but throws the classified error for any non-2xx answer. */
export async function salesforceRequest(
  ctx: DestinationContext<SalesforceConfig>,
  method: HttpMethod,
  path: string,
  options: CallOptions = {},
): Promise<unknown> {
  const response = await salesforceCall(ctx, method, path, options);
  if (!response.ok) throw salesforceApi.error(response, ctx);
  return response.body;
}

async function send(
  ctx: DestinationContext<SalesforceConfig>,
  current: Session,
  method: HttpMethod,
  path: string,
  options: CallOptions,
): Promise<HttpResult> {
  let response: HttpResult;
  current.inFlight = (current.inFlight ?? 0) + 1;
  try {
    response = await salesforceApi.call(ctx, method, `${current.instanceUrl}/${path}`, {
      json: options.json,
      body: options.body,
      headers: {
        authorization: `Bearer ${current.accessToken}`,
        accept: options.accept ?? "application/json",
        ...(options.contentType ? { "content-type": options.contentType } : {}),
      },
    });
  } finally {
    current.inFlight = (current.inFlight ?? 1) - 1;
  }
  // Noted as soon as the answer is known, so calls refused with this session can tell it worked.
  if (response.status !== 401) current.accepted = true;
  return response;
}
