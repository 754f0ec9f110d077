import type { Logger } from "../../sdk/logger.ts";
import type { SourceContext, SourceDefinition } from "../../sdk/source.ts";

/** A configured source instance: the plugin, its validated config and its long-lived state. */
export interface SourceHandle {
  name: string;
  plugin: SourceDefinition<unknown>;
  config: unknown;
  state: Map<string, unknown>;
  baseDir: string;
}

export function sourceContext(handle: SourceHandle, logger: Logger, signal: AbortSignal): SourceContext<unknown> {
  return { config: handle.config, logger, signal, state: handle.state, baseDir: handle.baseDir };
}
