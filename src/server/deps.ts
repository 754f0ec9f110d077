import type Database from "better-sqlite3";
import type { AlertsConfig } from "../alerts/config.ts";
import type { Engine, Sequencer } from "../engine/index.ts";
import type { ServerSettings } from "../host/loaded-config.ts";
import type { Logger } from "../sdk/logger.ts";
import type { ServiceMetrics } from "./metrics.ts";
import type { LiveProgress } from "./progress.ts";
import type { AppStores } from "./stores.ts";

/** What the API shows about a configured sync (a LoadedSync satisfies it). */
export interface SyncInfo {
  spec: { object: string; mode: string };
  source: { name: string; type: string };
  destination: { name: string; type: string };
  schedule?: string | undefined;
}

/** The part of the loaded configuration the service reads (a LoadedConfig satisfies it). */
export interface AppConfig {
  server: ServerSettings;
  secrets: Iterable<string>;
  syncs: ReadonlyMap<string, SyncInfo>;
  describeSync(name: string): Record<string, unknown>;
  /** The API inspector's settings (absent: the defaults). */
  inspector?: { calls: number; bodies: boolean };
  /** `alerts:` resolved, when configured (the console shows the rules and their state). */
  alerts?: AlertsConfig | undefined;
}

export interface Schedule {
  nextRun(sync: string): Date | null;
}

/** Everything the app calls; injected so tests build the app around a real engine and state. */
export interface AppDeps {
  engine: Engine;
  config: AppConfig;
  /** The state file, for its health and migrations and for dry runs; routes read it through `stores`. */
  state: { sqlite: Database.Database };
  stores: AppStores;
  logger: Logger;
  metrics: ServiceMetrics;
  progress?: LiveProgress;
  scheduler?: Schedule;
  /** `sequences:` (absent: none configured, every /v1/sequences/{name} is a 404). */
  sequences?: Sequencer;
  sequenceScheduler?: Schedule;
}

export interface AppEnv {
  Variables: {
    /** How the caller proved who it is. */
    auth: "token" | "hmac";
    /** The verified signature of an HMAC-signed trigger, and when its replay window ends. */
    signature: { value: string; expiresAt: number };
    /** Set by routes so the request log line names the sync and run. */
    sync: string;
    runId: string;
    sequence: string;
  };
}
