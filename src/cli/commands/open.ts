import { DEFAULTS } from "../../config/defaults.ts";
import { openSyncline, type Syncline } from "../../host/open.ts";
import { stateFileError } from "../../state/state-error.ts";
import { reportFailure } from "../failure.ts";
import { memorySettings } from "../memory-settings.ts";
import type { CliOptions } from "../options.ts";

/** Opens Syncline for a command: logs at `warn` unless asked, so the command's output stays readable. */
export async function openForCommand(
  options: CliOptions,
  defaultLevel: string = DEFAULTS.commandLogLevel,
  extra: { alerting?: boolean; tracing?: boolean } = {},
): Promise<Syncline> {
  const loggerLevel = options.logLevel ?? (process.env.SYNCLINE_LOG_LEVEL || defaultLevel);
  const app = await openSyncline(options.config, { logLevel: options.logLevel, loggerLevel, ...extra });
  const memory = memorySettings();
  if (memory.state === "missing") app.logger.warn({ detail: memory.detail }, "memory settings not applied");
  return app;
}

/**
 * Runs a command on an opened Syncline, then closes it. The command's own outcome (its output,
 * or its error) always comes first; a failure to close the state file is reported after it,
 * never instead of it, and never as a stack trace. `task` says what the command was doing, for
 * errors of the state file ("could not start the run: the state file … is busy").
 */
export async function withSyncline(
  options: CliOptions,
  task: string,
  body: (app: Syncline) => Promise<number>,
  extra: { alerting?: boolean; tracing?: boolean } = {},
): Promise<number> {
  const app = await openForCommand(options, DEFAULTS.commandLogLevel, extra);
  let code: number;
  try {
    code = await body(app);
  } catch (error) {
    code = reportFailure(stateFileError(app.state.path, `could not ${task}`, error) ?? error);
  }
  try {
    await app.close();
  } catch (error) {
    const closing = reportFailure(error);
    return code === 0 ? closing : code;
  }
  return code;
}
