import type { Alerting } from "../alerts/alerting.ts";
import { DEFAULTS } from "../config/defaults.ts";
import { Engine, Sequencer } from "../engine/index.ts";
import type { Logger } from "../sdk/logger.ts";
import { changelogPages } from "../state/changelog-store.ts";
import { openState, type StateDatabase } from "../state/database.ts";
import { stateFileError } from "../state/state-error.ts";
import { loadConfig } from "./load-config.ts";
import type { LoadedConfig } from "./loaded-config.ts";
import { createLogger } from "./logger.ts";
import { makeRedactor } from "./redact.ts";
import { startTracing, type Tracing } from "./tracing.ts";

export interface Syncline {
  config: LoadedConfig;
  state: StateDatabase;
  engine: Engine;
  /** Runs `sequences:` through the engine. */
  sequences: Sequencer;
  logger: Logger;
  /** Present when `alerts:` is configured and the command runs syncs (`run`, `serve`). */
  alerts?: Alerting | undefined;
  /** Present when the command runs syncs and the OTEL_* variables ask for traces. */
  tracing?: Tracing | undefined;
  close(graceMs?: number): Promise<void>;
}

/** Loads the config, opens the state (migrating it) and builds the engine: what every command needs. */
export async function openSyncline(
  configPath: string,
  options: {
    logger?: Logger;
    env?: NodeJS.ProcessEnv;
    /** `--log-level`: ranks above the environment and the config. */
    logLevel?: string | undefined;
    /** The level to log at whatever the settings say (commands log at `warn` unless asked). */
    loggerLevel?: string | undefined;
    logWrite?: (line: string) => void;
    /** Evaluate alert rules on this process's runs and deliver notifications. */
    alerting?: boolean;
    /** Export traces when the OTEL_* variables ask for it (`run`, `serve`). */
    tracing?: boolean;
  } = {},
): Promise<Syncline> {
  const config = await loadConfig(configPath, options.env, { logLevel: options.logLevel });
  const level = options.loggerLevel ?? config.logLevel;
  const logger = options.logger ?? createLogger({ level, secrets: config.secrets, write: options.logWrite });
  const tracing = options.tracing ? await startTracing(options.env ?? process.env, logger) : undefined;
  const state = openState(config.statePath);
  let engine: Engine;
  let sequences: Sequencer;
  try {
    // Sync logs' failure texts are redacted before they reach a log line or the state; their
    // changelog is the state's, page by page.
    engine = new Engine({
      db: state.sqlite,
      syncs: config.syncs,
      logger,
      syncLogs: { entries: changelogPages(state.sqlite), redact: makeRedactor(config.secrets) },
      changelogRetentionDays: config.changelog.retentionDays,
    });
    sequences = new Sequencer({ engine, db: state.sqlite, sequences: config.sequences, logger });
  } catch (error) {
    state.close();
    throw stateFileError(state.path, "cannot open", error) ?? error;
  }
  // Alerting (and prom-client, with the OpenTelemetry API it requires) loads only for a config with `alerts:`.
  const alerts =
    options.alerting && config.alerts
      ? new (await import("../alerts/alerting.ts")).Alerting({
          config: config.alerts,
          db: state.sqlite,
          engine,
          redact: makeRedactor(config.secrets),
          logger: logger.child({ component: "alerts" }),
        })
      : undefined;
  return {
    config,
    state,
    engine,
    sequences,
    logger,
    alerts,
    tracing,
    /**
     * Closes the engine, delivers the runs' notifications (within a bound: what is not
     * delivered by then stays in the outbox for the next start), and closes the state file
     * whatever happens. A failure (a read-only, locked or full file) is raised naming the file
     * and the fix.
     */
    async close(graceMs) {
      let failure: unknown;
      try {
        await engine.close(graceMs);
        await sequences.close();
        await alerts?.close(DEFAULTS.alerts.flushTimeoutMs);
      } catch (error) {
        failure = error;
      }
      try {
        state.close();
      } catch (error) {
        failure ??= error;
      }
      await tracing?.shutdown(); // the run's spans, exported before the process exits
      if (failure !== undefined) throw stateFileError(state.path, "could not close", failure) ?? failure;
    },
  };
}
