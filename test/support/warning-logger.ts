import { type Logger, silentLogger } from "../../src/sdk/logger.ts";

/** A logger keeping its warnings. */
export function warnings(): Logger & { warned: Array<{ obj: unknown; msg: string | undefined }> } {
  const warned: Array<{ obj: unknown; msg: string | undefined }> = [];
  const logger = {
    ...silentLogger,
    warned,
    warn(obj: object | string, msg?: string) {
      warned.push({ obj, msg });
    },
    child: () => logger,
  };
  return logger;
}
