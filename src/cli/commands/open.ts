import { loadConfig } from "../../host/load-config.ts";
import { createLogger } from "../../host/logger.ts";
import { openSyncline, type Syncline } from "../../host/open.ts";
import type { CliOptions } from "../main.ts";

/** Opens Syncline for a command: logs at `warn` unless asked, so the command's output stays readable. */
export async function openForCommand(
  options: CliOptions,
  defaultLevel = "warn",
  extra: { alerting?: boolean } = {},
): Promise<Syncline> {
  const config = await loadConfig(options.config);
  const level = options.logLevel ?? process.env.SYNCLINE_LOG_LEVEL ?? defaultLevel;
  return openSyncline(options.config, { logger: createLogger({ level, secrets: config.secrets }), ...extra });
}
