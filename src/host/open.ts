import { Alerting } from "../alerts/alerting.ts";
import { DEFAULTS } from "../config/defaults.ts";
import { Engine } from "../engine/engine.ts";
import type { Logger } from "../sdk/logger.ts";
import { openState, type StateDatabase } from "../state/database.ts";
import { loadConfig } from "./load-config.ts";
import type { LoadedConfig } from "./loaded-config.ts";
import { createLogger } from "./logger.ts";
import { makeRedactor } from "./redact.ts";

export interface Syncline {
  config: LoadedConfig;
  state: StateDatabase;
  engine: Engine;
  logger: Logger;
  /** Present when `alerts:` is configured and the command runs syncs (`run`, `serve`). */
  alerts?: Alerting | undefined;
  close(graceMs?: number): Promise<void>;
}

/** Loads the config, opens the state (migrating it) and builds the engine: what every command needs. */
export async function openSyncline(
  configPath: string,
  options: {
    logger?: Logger;
    env?: NodeJS.ProcessEnv;
    logWrite?: (line: string) => void;
    /** Evaluate alert rules on this process's runs and deliver notifications. */
    alerting?: boolean;
  } = {},
): Promise<Syncline> {
  const config = await loadConfig(configPath, options.env);
  const logger =
    options.logger ?? createLogger({ level: config.logLevel, secrets: config.secrets, write: options.logWrite });
  const state = openState(config.statePath);
  const engine = new Engine({ db: state.sqlite, syncs: config.syncs, logger });
  const alerts =
    options.alerting && config.alerts
      ? new Alerting({
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
    logger,
    alerts,
    async close(graceMs) {
      await engine.close(graceMs);
      // The runs' notifications go out before the process exits, within a bound; what is not
      // delivered by then stays in the outbox for the next start.
      await alerts?.close(DEFAULTS.alerts.flushTimeoutMs);
      state.close();
    },
  };
}
