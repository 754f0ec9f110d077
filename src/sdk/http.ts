import { createRequire } from "node:module";
import type { KyInstance } from "ky";

// ky is required at the first client, not imported with the SDK: evaluating it builds a Request,
// which loads Node's fetch implementation, and a run whose destination makes no HTTP call
// (file, postgres, mysql) needs neither. require() of an ES module: Node 22.12+, Deno 2.
const require = createRequire(import.meta.url);

export interface HttpClientOptions {
  baseUrl?: string | undefined;
  timeoutMs?: number | undefined;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * The HTTP client plugins get as `ctx.http`: ky with a per-call timeout and no retries,
 * because the engine owns retries. Non-2xx responses throw ky's HTTPError, which the engine
 * maps to an error class by status (see errors/http-status.ts); pass
 * `throwHttpErrors: false` to read a multi-status or error body yourself.
 */
export function createHttpClient(options: HttpClientOptions = {}): KyInstance {
  const ky = (require("ky") as typeof import("ky")).default;
  return ky.create({
    ...(options.baseUrl ? { baseUrl: options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/` } : {}),
    timeout: options.timeoutMs ?? 30_000,
    retry: 0,
    headers: options.headers,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
