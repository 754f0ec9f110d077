import type { SynclineError } from "../../sdk/errors/syncline-error.ts";

/** Masks every configured secret value in a text (host/redact.ts builds it from the config). */
export type Redact = (text: string) => string;

export const noRedaction: Redact = (text) => text;

/**
 * The same error with every secret masked in the texts Syncline keeps and shows (message, fix,
 * code); its class, kind and retry hints stay, so it is handled exactly as before. Applied
 * where a destination's words enter the engine, before the ledger, the run record or a log
 * line can hold them.
 */
export function redactError<E extends SynclineError>(error: E, redact: Redact): E {
  const message = redact(error.message);
  const code = redact(error.code);
  const fix = error.fix === undefined ? undefined : redact(error.fix);
  if (message !== error.message) error.message = message;
  if (code !== error.code || fix !== error.fix) Object.assign(error, { code, fix });
  return error;
}
