import { openSyncline, type Syncline } from "../../host/open.ts";
import type { CliOptions } from "../main.ts";
import { memorySettings } from "../memory-settings.ts";

/** Opens Syncline for a command: logs at `warn` unless asked, so the command's output stays readable. */
export async function openForCommand(options: CliOptions, defaultLevel = "warn"): Promise<Syncline> {
  const loggerLevel = options.logLevel ?? (process.env.SYNCLINE_LOG_LEVEL || defaultLevel);
  const app = await openSyncline(options.config, { logLevel: options.logLevel, loggerLevel });
  const memory = memorySettings();
  if (memory.state === "missing") app.logger.warn({ detail: memory.detail }, "memory settings not applied");
  return app;
}
