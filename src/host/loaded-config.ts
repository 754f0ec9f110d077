import type { AlertsConfig } from "../alerts/config.ts";
import type { Settings } from "../config/settings.ts";
import type { DestinationHandle, SequenceSpec, SourceHandle, SyncIdentity, SyncSpec } from "../engine/index.ts";

export interface LoadedSync {
  spec: SyncSpec;
  source: SourceHandle & { type: string };
  destination: DestinationHandle & { type: string };
  identity: SyncIdentity;
  schedule?: string | undefined;
}

export interface ServerSettings {
  port: number;
  host: string;
  tokens: string[];
  hmacSecret?: string | undefined;
  shutdownGraceMs: number;
  /** Where users reach the service, for links (alerts). */
  publicUrl?: string | undefined;
  /** The operator console at /ui (src/server/console). */
  console: { enabled: boolean; sessionMinutes: number };
}

/** The configuration after validation: typed, resolved, defaults applied, plugins loaded. */
export interface LoadedConfig {
  file: string;
  dir: string;
  statePath: string;
  logLevel: string;
  sources: Map<string, SourceHandle & { type: string }>;
  destinations: Map<string, DestinationHandle & { type: string }>;
  syncs: Map<string, LoadedSync>;
  /** `sequences:` resolved: ordered lists of syncs run as one. */
  sequences: Map<string, SequenceSpec>;
  server: ServerSettings;
  /** The settings above with where each came from (flag, environment, config file, image default, default). */
  settings: Settings;
  /** `alerts:` resolved; undefined when no alerts are configured. */
  alerts?: AlertsConfig | undefined;
  /** The record changelog's retention (per-sync switches are on each SyncSpec). */
  changelog: { retentionDays: number };
  /** The API inspector: calls kept per destination (0: off) and whether bodies are. */
  inspector: { calls: number; bodies: boolean };
  /** Every secret value, to redact wherever text leaves the process. */
  secrets: Set<string>;
  /** The sync's configuration as users may see it: no secrets. */
  describeSync(name: string): Record<string, unknown>;
}
