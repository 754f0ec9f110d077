import { Engine } from "../engine/engine.ts";
import type { Logger } from "../sdk/logger.ts";
import { openState, type StateDatabase } from "../state/database.ts";
import { loadConfig } from "./load-config.ts";
import type { LoadedConfig } from "./loaded-config.ts";
import { createLogger } from "./logger.ts";

export interface Syncline {
  config: LoadedConfig;
  state: StateDatabase;
  engine: Engine;
  logger: Logger;
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
  } = {},
): Promise<Syncline> {
  const config = await loadConfig(configPath, options.env, { logLevel: options.logLevel });
  const level = options.loggerLevel ?? config.logLevel;
  const logger = options.logger ?? createLogger({ level, secrets: config.secrets, write: options.logWrite });
  const state = openState(config.statePath);
  const engine = new Engine({ db: state.sqlite, syncs: config.syncs, logger });
  return {
    config,
    state,
    engine,
    logger,
    async close(graceMs) {
      await engine.close(graceMs);
      state.close();
    },
  };
}
