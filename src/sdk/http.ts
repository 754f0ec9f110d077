import { createRequire } from "node:module";
import type { KyInstance } from "ky";

// ky is required at the first client, not imported with the SDK: evaluating it builds a Request,
// which loads Node's fetch implementation, and a run whose destination makes no HTTP call
// (file, postgres, mysql) needs neither. require() of an ES module: Node 22.12+. Deno cannot
// require ky's ES modules: there the command imports it up front and hands it over (provideKy).
const require = createRequire(import.meta.url);
type Ky = typeof import("ky").default;
let provided: Ky | undefined;

/** ky, imported by the caller (Syncline's command under Deno), for the clients made from now on. */
export function provideKy(ky: Ky): void {
  provided = ky;
}

export interface HttpClientOptions {
  baseUrl?: string | undefined;
  /**
   * Per-call timeout, required: the SDK sets no default of its own. Syncline passes the
   * destination's resolved timeout (its `capabilities.timeoutMs`, or Syncline's default for
   * it); code outside Syncline (a script, a test) names its own, or `false` for none.
   */
  timeoutMs: number | false;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * The HTTP client plugins get as `ctx.http`: ky with a per-call timeout and no retries,
 * because the engine owns retries. Non-2xx responses throw ky's HTTPError, which the engine
 * maps to an error class by status (see errors/http-status.ts); pass
 * `throwHttpErrors: false` to read a multi-status or error body yourself.
 *
 * A plugin never builds one (the engine hands it `ctx.http`); a third party building one to
 * try a plugin outside Syncline, for example `createHttpClient({ baseUrl, timeoutMs: 10_000 })`,
 * gets the same client the engine would give it.
 */
export function createHttpClient(options: HttpClientOptions): KyInstance {
  // Plain JavaScript callers skip the type check; left out, ky would apply a default of its own.
  if (options.timeoutMs === undefined) throw new TypeError("createHttpClient needs timeoutMs: milliseconds, or false");
  const ky = provided ?? (require("ky") as typeof import("ky")).default;
  return ky.create({
    ...(options.baseUrl ? { baseUrl: options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/` } : {}),
    timeout: options.timeoutMs,
    retry: 0,
    headers: options.headers,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
