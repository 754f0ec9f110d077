import * as v from "valibot";
import type { Capabilities, DestinationContext, DestinationDefinition } from "../destination.ts";
import { ConfigurationError } from "../errors/configuration-error.ts";
import type { QuotaExhaustedError } from "../errors/quota-exhausted-error.ts";
import { createHttpClient } from "../http.ts";
import { type Logger, silentLogger } from "../logger.ts";

export interface TestContextOptions {
  /** Replaces the config's `baseUrl` (for example with a fake's URL). */
  baseUrl?: string | undefined;
  logger?: Logger;
  signal?: AbortSignal;
  /** Share one state map between contexts to act as one destination instance. */
  state?: Map<string, unknown>;
  /**
   * Per-call timeout; defaults to the plugin's `capabilities.timeoutMs`. Without either a call
   * has no client-side timeout (the test runner's own bounds it): the default the engine would
   * apply is Syncline's config, which the SDK does not read.
   */
  timeoutMs?: number;
  /** The config file's directory (default: the current directory). */
  baseDir?: string;
}

/** A pause the plugin ordered through `ctx.pause`. */
export interface RecordedPause {
  ms: number;
  reason: string | QuotaExhaustedError;
}

/**
 * A test context: the engine's, plus the pauses the plugin ordered. The engine would hold its
 * next calls for them (see DestinationContext.pause); this one only records them, so a test
 * calling `write` directly reaches the API and can assert what the plugin asked for.
 */
export interface TestDestinationContext<TConfig> extends DestinationContext<TConfig> {
  readonly pauses: RecordedPause[];
}

/** Validates a raw config with the plugin's schema, as the host does at start. */
export function parseDestinationConfig<TConfig>(
  plugin: DestinationDefinition<TConfig>,
  raw: unknown,
  baseUrl?: string,
): TConfig {
  const input = baseUrl && isObject(raw) ? { ...raw, baseUrl } : raw;
  const result = v.safeParse(plugin.config, input);
  if (!result.success) {
    throw new ConfigurationError(`invalid ${plugin.name} config: ${v.summarize(result.issues)}`, {
      fix: "fix the destination's options",
    });
  }
  return result.output;
}

/** The plugin's capabilities for a parsed config. */
export function resolveCapabilities<TConfig>(plugin: DestinationDefinition<TConfig>, config: TConfig): Capabilities {
  return typeof plugin.capabilities === "function" ? plugin.capabilities(config) : plugin.capabilities;
}

/**
 * A destination context like the engine builds one: validated config, ky with the config's
 * `baseUrl` and the plugin's timeout, no retries, a silent logger and a fresh state map; its
 * `pause` records (`ctx.pauses`) instead of holding calls.
 */
export function makeDestinationContext<TConfig>(
  plugin: DestinationDefinition<TConfig>,
  rawConfig: unknown,
  options: TestContextOptions = {},
): TestDestinationContext<TConfig> {
  const config = parseDestinationConfig(plugin, rawConfig, options.baseUrl);
  const capabilities = resolveCapabilities(plugin, config);
  const configBaseUrl = isObject(config) && typeof config.baseUrl === "string" ? config.baseUrl : undefined;
  const pauses: RecordedPause[] = [];
  return {
    pauses,
    pause: (ms, reason) => {
      pauses.push({ ms, reason });
    },
    config,
    logger: options.logger ?? silentLogger,
    signal: options.signal ?? new AbortController().signal,
    http: createHttpClient({
      baseUrl: options.baseUrl ?? configBaseUrl,
      timeoutMs: options.timeoutMs ?? capabilities.timeoutMs ?? false,
    }),
    state: options.state ?? new Map(),
    baseDir: options.baseDir ?? process.cwd(),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
