import type { KyInstance } from "ky";
import type { Capabilities, DestinationContext, DestinationDefinition } from "../../sdk/destination.ts";
import type { Logger } from "../../sdk/logger.ts";
import type { Redact } from "../redact-error.ts";
import type { InspectorSettings } from "./inspector.ts";
import type { DestinationLimiter } from "./limiter.ts";
import { tracedHttp } from "./traced-http.ts";

/** A configured destination instance: the plugin, its validated config and its shared pacing. */
export interface DestinationHandle {
  name: string;
  plugin: DestinationDefinition<unknown>;
  config: unknown;
  capabilities: Capabilities;
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
  wrapHttp: (client: KyInstance) => KyInstance = (client) => client,
): DestinationContext<unknown> {
  return {
    config: handle.config,
    logger,
    signal,
    http: wrapHttp(tracedHttp(handle.http(signal), handle.name, handle.redact)),
    state: handle.state,
    baseDir: handle.baseDir,
  };
}
