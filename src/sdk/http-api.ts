import type { DestinationContext } from "./destination.ts";
import { classify } from "./errors/classify.ts";
import { errorForStatus, type StatusWording } from "./errors/http-status.ts";
import type { SynclineError } from "./errors/syncline-error.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** An API's answer, whatever its status. */
export interface HttpResult {
  status: number;
  /** The status is 2xx. */
  ok: boolean;
  statusText: string;
  headers: Headers;
  /**
   * The body parsed as JSON when its content type says JSON, plain text (many APIs and proxies
   * mislabel JSON) or nothing; else its text (CSV, HTML). Text that does not parse stays text;
   * an empty body is undefined.
   */
  body: unknown;
}

export interface HttpCallOptions {
  json?: unknown;
  /** A raw body (CSV, a form), instead of `json`. */
  body?: string | URLSearchParams | undefined;
  /** Headers of this call, over the API's own. */
  headers?: Record<string, string> | undefined;
}

/** What is specific to one API; everything else (transport, parsing, the status table) is the SDK's. */
export interface HttpApiOptions<TConfig> {
  /** Headers every call sends: credentials, the API version, `accept`. */
  headers?(ctx: DestinationContext<TConfig>): Record<string, string>;
  /** Sees every answer before it is returned: read rate-limit headers here, and `ctx.pause`. */
  onResponse?(ctx: DestinationContext<TConfig>, result: HttpResult, call: { method: HttpMethod; path: string }): void;
  /** The API's words for a refused call, from its error body ("CODE: message"); default: `message`, the text, or the status text. */
  detail?(body: unknown): string;
  /**
   * The API's own verdict on a refused call, when its body says more than its status (a 429
   * that is a daily quota, a 403 that is a rate limit); undefined: the SDK's status table decides.
   */
  classify?(result: HttpResult, ctx: DestinationContext<TConfig>): SynclineError | undefined;
  /** How the status table's errors are worded for this API (see StatusWording). */
  wording?: StatusWording | ((result: HttpResult) => StatusWording) | undefined;
}

export interface HttpApi<TConfig> {
  /** One call; throws only when no answer came (network, timeout: transient); any status is returned. */
  call(
    ctx: DestinationContext<TConfig>,
    method: HttpMethod,
    path: string,
    options?: HttpCallOptions,
  ): Promise<HttpResult>;
  /** One call whose answer must be 2xx: returns its body, or throws the refusal's error. */
  request(
    ctx: DestinationContext<TConfig>,
    method: HttpMethod,
    path: string,
    options?: HttpCallOptions,
  ): Promise<unknown>;
  /** The error for a refused answer: the API's `classify` first, then the SDK's status table. */
  error(result: HttpResult, ctx: DestinationContext<TConfig>): SynclineError;
}

/**
 * An HTTP API as a destination calls it: through `ctx.http` (so the engine's timeout, tracing
 * and API inspector apply), with the run's signal, every answer read and parsed once, and every
 * refusal classified once: the plugin's `classify` for what its API says in a body, the SDK's
 * status table (errorForStatus) for the rest.
 */
export function httpApi<TConfig>(options: HttpApiOptions<TConfig> = {}): HttpApi<TConfig> {
  const api: HttpApi<TConfig> = {
    async call(ctx, method, path, call = {}) {
      let response: Response;
      try {
        response = await ctx.http(path, {
          method,
          ...(call.json === undefined ? {} : { json: call.json }),
          ...(call.body === undefined ? {} : { body: call.body }),
          headers: { ...options.headers?.(ctx), ...call.headers },
          signal: ctx.signal,
          throwHttpErrors: false,
        });
      } catch (error) {
        throw classify(error);
      }
      const result = await readResult(response);
      options.onResponse?.(ctx, result, { method, path });
      return result;
    },
    async request(ctx, method, path, call) {
      const result = await api.call(ctx, method, path, call);
      if (!result.ok) throw api.error(result, ctx);
      return result.body;
    },
    error(result, ctx) {
      const own = options.classify?.(result, ctx);
      if (own) return own;
      const wording = typeof options.wording === "function" ? options.wording(result) : options.wording;
      const detail = options.detail ? options.detail(result.body) : defaultDetail(result);
      return errorForStatus(result.status, result.headers, detail, wording);
    },
  };
  return api;
}

async function readResult(response: Response): Promise<HttpResult> {
  const text = await response.text().catch(() => "");
  const type = response.headers.get("content-type");
  const json = type === null || /json|^text\/plain/i.test(type);
  return {
    status: response.status,
    ok: response.ok,
    statusText: response.statusText,
    headers: response.headers,
    body: text === "" ? undefined : json ? parseJson(text) : text,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A JSON body's `message`, else the text's start, else the status text. */
function defaultDetail({ body, statusText }: HttpResult): string {
  if (typeof body === "string") return body.slice(0, 300);
  const message = (body as { message?: unknown } | null | undefined)?.message;
  return typeof message === "string" ? message : statusText;
}
