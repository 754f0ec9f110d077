import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as v from "valibot";
import { DEFAULTS } from "../config/defaults.ts";
import { QueueFullError, SequenceRunningError, UnknownSequenceError, UnknownSyncError } from "../engine/index.ts";
import { isSynclineError } from "../sdk/errors/syncline-error.ts";
import { TransientError } from "../sdk/errors/transient-error.ts";
import type { Logger } from "../sdk/logger.ts";
import { issueField, issueMessage } from "./issues.ts";

/** An error meant for the API caller: its status, code and message are safe to show. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly field: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    options: { field?: string | undefined; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/**
 * The one place errors become HTTP statuses. Anything not recognised here is an internal
 * error: logged in full, answered with a 500 that says nothing about the internals.
 */
export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof UnknownSyncError) return new ApiError(404, "unknown_sync", error.describe());
  if (error instanceof UnknownSequenceError) return new ApiError(404, "unknown_sequence", error.describe());
  if (error instanceof SequenceRunningError) {
    const location = `/v1/sequences/${error.run.sequence}/runs/${error.run.id}`;
    return new ApiError(409, "sequence_running", error.describe(), { headers: { location } });
  }
  if (error instanceof QueueFullError) {
    return new ApiError(429, "queue_full", error.describe(), { headers: retryAfter(error.retryAfterMs) });
  }
  if (error instanceof v.ValiError) {
    const issue = error.issues[0] as v.BaseIssue<unknown>;
    const field = issueField(issue, "body");
    return new ApiError(400, "invalid_input", `${field}: ${issueMessage(issue)}`, { field });
  }
  if (error instanceof HTTPException) {
    return new ApiError(
      error.status as ContentfulStatusCode,
      `http_${error.status}`,
      error.message || "request failed",
    );
  }
  if (isSynclineError(error)) {
    if (error instanceof TransientError) {
      return new ApiError(503, error.code, error.describe(), { headers: retryAfter(error.retryAfterMs) });
    }
    return new ApiError(error.kind === "permanent" ? 422 : 500, error.code, error.describe());
  }
  return undefined;
}

export function errorResponse(c: Context, error: unknown, logger: Logger): Response {
  const api = toApiError(error);
  if (!api) {
    logger.error({ err: error, method: c.req.method, path: c.req.path }, "internal error answering a request");
    return c.json<ErrorBody>({ error: { code: "internal", message: "internal error; see the service log" } }, 500);
  }
  if (api.status >= 500) logger.error({ code: api.code, path: c.req.path, err: api.message }, "request failed");
  const body: ErrorBody = { error: { code: api.code, message: api.message } };
  if (api.field) body.error.field = api.field;
  for (const [name, value] of Object.entries(api.headers)) c.header(name, value);
  return c.json(body, api.status);
}

export function notFound(what: string): ApiError {
  return new ApiError(404, "not_found", `no such ${what}`);
}

/** The cause's own wait, or the default when it names none (an undefined argument takes the default). */
function retryAfter(ms: number = DEFAULTS.server.retryAfterMs): Record<string, string> {
  return { "retry-after": String(Math.max(1, Math.ceil(ms / 1000))) };
}
