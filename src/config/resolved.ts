import type { Capabilities } from "../sdk/destination.ts";
import type { RawAlerts, RawChannel, Severity } from "./alerts-schema.ts";
import type { RawConfig, SequenceConfig, SyncConfig } from "./schema.ts";
import type { Settings } from "./settings.ts";

/**
 * The delete guard with its defaults: above `maxPercent` of the delivered records, and over
 * `minRecords` of them (the default share applies only to more than a handful of records; a
 * share the user chose applies from the first), deletes are refused; over `maxCount` too.
 */
export interface DeleteGuard {
  maxPercent: number;
  minRecords: number;
  maxCount?: number | undefined;
}

/** A sync's warehouse sync logs, when on: their schema, and the config path that turned them on. */
export interface ResolvedSyncLogs {
  schema: string;
  at: string;
}

/** A sync as configured, every option that has a default filled in. */
export interface ResolvedSync {
  source: string;
  destination: string;
  object: string;
  model: SyncConfig["model"];
  primaryKey: string[];
  mode: NonNullable<SyncConfig["mode"]>;
  mapping: Record<string, string>;
  schedule?: string | undefined;
  options: Record<string, unknown>;
  deleteGuard: DeleteGuard;
  /** Lowers the destination's max records per call; none: the destination's own. */
  batchSize?: number | undefined;
  maxWaitMs: number;
  /** None: the diff is local (the sync's identity and its snapshot do not depend on it). */
  diff?: SyncConfig["diff"];
  sendChangedFieldsOnly: boolean;
  nulls: NonNullable<SyncConfig["nulls"]>;
  validateMapping: boolean;
  /** None: no sync logs. */
  syncLogs?: ResolvedSyncLogs | undefined;
  changelog: { enabled: boolean; values: boolean };
}

export type ResolvedSequence = Required<Omit<SequenceConfig, "schedule">> & Pick<SequenceConfig, "schedule">;

/** A channel under its name, with its timeout (and PagerDuty's endpoint) filled in. */
type Named<T> = T & { name: string; timeoutMs: number };
export type ResolvedChannel =
  | Named<Extract<RawChannel, { type: "webhook" }>>
  | Named<Extract<RawChannel, { type: "slack" }>>
  | (Named<Extract<RawChannel, { type: "pagerduty" }>> & { url: string });

export type ResolvedRule = RawAlerts["rules"][string] & { severity: Severity };

export interface ResolvedAlerts {
  channels: Record<string, ResolvedChannel>;
  rules: Record<string, ResolvedRule>;
  evaluateEveryMs: number;
}

/** The destination's capabilities with Syncline's defaults for what the plugin leaves out. */
export type ResolvedCapabilities = Capabilities & { concurrency: number; timeoutMs: number };

/**
 * The config file after validation with every default applied, once, at load (src/config/resolve.ts):
 * the rest of Syncline reads values, never `?? DEFAULTS`. Plugin options are still unchecked
 * here (the plugins' schemas check them when the plugins are loaded).
 */
export interface ResolvedConfig {
  plugins: string[];
  sources: RawConfig["sources"];
  destinations: RawConfig["destinations"];
  syncs: Record<string, ResolvedSync>;
  sequences: Record<string, ResolvedSequence>;
  /** State path, port, host, log level, tokens and shutdown grace, with where each came from. */
  settings: Settings;
  server: {
    hmacSecret?: string | undefined;
    publicUrl?: string | undefined;
    console: { enabled: boolean; sessionMinutes: number };
  };
  /** None: no alerts configured. */
  alerts?: ResolvedAlerts | undefined;
  changelog: { retentionDays: number };
  inspector: { calls: number; bodies: boolean };
}
