import type { Capabilities } from "../sdk/destination.ts";
import { DEFAULTS } from "./defaults.ts";
import { resolveAlertsConfig } from "./resolve-alerts.ts";
import { resolveSync } from "./resolve-sync.ts";
import type { ResolvedCapabilities, ResolvedConfig, ResolvedSequence, ResolvedSync } from "./resolved.ts";
import type { RawConfig } from "./schema.ts";
import { resolveSettings } from "./settings.ts";

export interface ResolveContext {
  /** The config file's folder: relative paths are relative to it. */
  dir: string;
  env: NodeJS.ProcessEnv;
  flags: { logLevel?: string | undefined };
}

/**
 * The checked config with every default of src/config/defaults.ts applied, once, at load. The
 * settings the environment can override are resolved with their provenance (settings.ts); a
 * variable with an invalid value is a problem added to `problems`.
 */
export function resolveConfig(raw: RawConfig, context: ResolveContext, problems: string[]): ResolvedConfig {
  const syncs: Record<string, ResolvedSync> = {};
  for (const [name, sync] of Object.entries(raw.syncs)) {
    syncs[name] = resolveSync(name, sync, raw.sources[sync.source]?.syncLogs);
  }
  const sequences: Record<string, ResolvedSequence> = {};
  for (const [name, sequence] of Object.entries(raw.sequences ?? {})) {
    sequences[name] = { ...sequence, onFailure: sequence.onFailure ?? DEFAULTS.sequenceOnFailure };
  }
  const consoleOptions =
    typeof raw.server?.console === "object" ? raw.server.console : { enabled: raw.server?.console };
  return {
    plugins: raw.plugins ?? [],
    sources: raw.sources,
    destinations: raw.destinations,
    syncs,
    sequences,
    settings: resolveSettings(raw, context.dir, context.env, context.flags, problems),
    server: {
      hmacSecret: raw.server?.hmacSecret,
      publicUrl: raw.server?.publicUrl,
      console: {
        enabled: consoleOptions.enabled ?? DEFAULTS.console.enabled,
        sessionMinutes: consoleOptions.sessionMinutes ?? DEFAULTS.console.sessionMinutes,
      },
    },
    alerts: raw.alerts && resolveAlertsConfig(raw.alerts),
    changelog: { retentionDays: raw.changelog?.retentionDays ?? DEFAULTS.changelog.retentionDays },
    inspector: {
      calls: raw.inspector?.calls ?? DEFAULTS.inspector.calls,
      bodies: raw.inspector?.bodies ?? DEFAULTS.inspector.bodies,
    },
  };
}

/** A destination plugin's capabilities with Syncline's defaults for its concurrency and call timeout. */
export function resolveCapabilities(capabilities: Capabilities): ResolvedCapabilities {
  return {
    ...capabilities,
    concurrency: capabilities.concurrency ?? DEFAULTS.sink.concurrency,
    timeoutMs: capabilities.timeoutMs ?? DEFAULTS.sink.timeoutMs,
  };
}
