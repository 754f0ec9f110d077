import { ConfigurationError, isSynclineError, PermanentError, type SynclineError } from "syncline/sdk";
import type { RecordRefusal } from "../sql-table/isolate.ts";
import { classifyPgError } from "./errors.ts";

interface PgError {
  code?: string;
  message?: string;
  detail?: string;
  column?: string;
}

/**
 * A refusal that belongs to the record, not the batch: a data exception (class 22: a value
 * too long, of the wrong type, out of range), an integrity violation (class 23: unique,
 * not-null, check, foreign key) or the same key twice in one statement (21000).
 */
export function pgRefusal(error: unknown): RecordRefusal | undefined {
  const { code, message, detail } = (error ?? {}) as PgError;
  if (typeof code !== "string" || !(code.startsWith("22") || code.startsWith("23") || code === "21000")) {
    return undefined;
  }
  return { code, message: detail ? `${message} (${detail})` : String(message) };
}

/** SQLSTATEs a destination's user must fix, and how (for the table `object`). */
const WRITE_FIXES: ReadonlyMap<string, (object: string) => string> = new Map(
  Object.entries({
    "42P01": () => "the table does not exist: create it, correct the sync's `object`, or set `options.createTable`",
    "42703": () => "a column does not exist: add it to the table or correct the sync's `mapping`",
    "42501": (object: string) => `the user lacks a privilege: GRANT SELECT, INSERT, UPDATE, DELETE ON ${object} to it`,
    "42P10": () => "the key columns have no unique index: set `options.key` to a primary key or unique index's columns",
  }),
);

/** A batch-level failure writing `object`, with the fix a destination's user needs. */
export function pgWriteError(error: unknown, object: string): SynclineError {
  if (isSynclineError(error)) return error;
  const { code, message } = (error ?? {}) as PgError;
  const config = (fix: string) =>
    new ConfigurationError(`writing to "${object}" on Postgres failed: ${message}`, { code, fix, cause: error });
  const fix = code === undefined ? undefined : WRITE_FIXES.get(code);
  if (fix) return config(fix(object));
  // A record's refusal that escaped isolation (a deferred constraint checked at COMMIT): the
  // engine splits the batch and retries the halves, which finds the record.
  const refusal = pgRefusal(error);
  if (refusal) {
    return new PermanentError(`writing to "${object}" on Postgres failed: ${refusal.message}`, {
      code: refusal.code,
      cause: error,
    });
  }
  return classifyPgError(error, `writing to "${object}" on Postgres`);
}
