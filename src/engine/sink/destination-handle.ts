import type { KyInstance } from "ky";
import type { ResolvedCapabilities } from "../../config/resolved.ts";
import type { DestinationContext, DestinationDefinition } from "../../sdk/destination.ts";
import { RateLimitError } from "../../sdk/errors/rate-limit-error.ts";
import type { Logger } from "../../sdk/logger.ts";
import { type Redact, redactError } from "../ledger/redact-error.ts";
import type { InspectorSettings } from "./inspector.ts";
import type { DestinationLimiter } from "./limiter.ts";
import { tracedHttp } from "./traced-http.ts";

/** A configured destination instance: the plugin, its validated config and its shared pacing. */
export interface DestinationHandle {
  name: string;
  plugin: DestinationDefinition<unknown>;
  config: unknown;
  /** The plugin's, with Syncline's defaults for its concurrency and call timeout (src/config/resolve.ts). */
  capabilities: ResolvedCapabilities;
  limiter: DestinationLimiter;
  /** Scratch state that outlives runs (tokens, caches), given to the plugin as ctx.state. */
  state: Map<string, unknown>;
  baseDir: string;
  http: (signal: AbortSignal) => KyInstance;
  /**
   * Masks every configured secret in the destination's texts (its reasons, codes and thrown
   * errors may echo a credential back) before the engine keeps or shows any of them.
   */
  redact: Redact;
  /** The API inspector's settings (config `inspector:`); none: calls are not recorded. */
  inspector?: InspectorSettings | undefined;
}

export function contextFor(
  handle: DestinationHandle,
  logger: Logger,
  signal: AbortSignal,
  /** Wraps the fetch that sends each HTTP request (the API inspector records the call). */
  wrapFetch?: (next: typeof fetch) => typeof fetch,
): DestinationContext<unknown> {
  let http: KyInstance | undefined;
  return {
    config: handle.config,
    logger,
    signal,
    // Built on first use: a destination that makes no HTTP call never loads the client.
    get http() {
      http ??= httpFor(handle, signal, wrapFetch);
      return http;
    },
    pause: (ms, reason) => {
      const error = typeof reason === "string" ? new RateLimitError(reason, { retryAfterMs: ms }) : reason;
      handle.limiter.pause(ms, redactError(error, handle.redact));
    },
    state: handle.state,
    baseDir: handle.baseDir,
  };
}

/** The plugin's ky instance: the inspector's fetch (if any) under the tracing span (if traced). */
function httpFor(handle: DestinationHandle, signal: AbortSignal, wrapFetch?: (next: typeof fetch) => typeof fetch) {
  const client = handle.http(signal);
  if (!wrapFetch) return tracedHttp(client, handle.name, handle.redact);
  const inner = wrapFetch((input, init) => fetch(input, init));
  return tracedHttp(client.extend({ fetch: inner }), handle.name, handle.redact, inner);
}
