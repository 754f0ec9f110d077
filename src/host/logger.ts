import pino from "pino";
import type { Logger } from "../sdk/logger.ts";
import { makeRedactor } from "./redact.ts";

/**
 * Structured JSON logs (pino) on stderr, with every secret value masked in the written line,
 * whatever field or message it hides in.
 */
export function createLogger(options: {
  level: string;
  secrets: Iterable<string>;
  write?: (line: string) => void;
}): Logger & pino.Logger {
  const redact = makeRedactor(options.secrets);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  return pino(
    { level: options.level, base: { service: "syncline" }, timestamp: pino.stdTimeFunctions.isoTime },
    { write: (line: string) => write(redact(line)) },
  );
}
