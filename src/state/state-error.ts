import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import type { SynclineError } from "../sdk/errors/syncline-error.ts";
import { TransientError } from "../sdk/errors/transient-error.ts";

/** How to recover when the state file cannot be used as it is. */
export function startOverFix(path: string): string {
  return (
    "restore the file from a backup (`syncline state backup <file>` makes one; README, Operations), " +
    `or, to start over knowingly, delete it (rm ${path}) and run again`
  );
}

/**
 * A state file failure as people should read it: what Syncline was doing, which file, why,
 * and what to do. SQLite's own messages ("database is locked") name neither. Undefined for
 * anything that is not a SQLite error.
 */
export function stateFileError(path: string, doing: string, error: unknown): SynclineError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return undefined;
  const at = `${doing}: the state file ${path}`;
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new TransientError(`${at} is busy (another process holds its write lock)`, {
      code: "state_busy",
      fix: "wait for the other process to finish, or stop the other syncline process using this file",
      cause: error,
    });
  }
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_FULL") || code.startsWith("SQLITE_IOERR")) {
    return new ConfigurationError(`${at} cannot be written (${code})`, {
      code: "state_unwritable",
      fix: "check that the file and its directory are writable and the disk is not full, then run again",
      cause: error,
    });
  }
  if (code.startsWith("SQLITE_NOTADB") || code.startsWith("SQLITE_CORRUPT")) {
    return new ConfigurationError(`${at} is damaged (${code}); Syncline will not start over from it on its own`, {
      code: "state_damaged",
      fix: startOverFix(path),
      cause: error,
    });
  }
  if (code.startsWith("SQLITE_CANTOPEN")) {
    return new ConfigurationError(`${at} cannot be opened (${code})`, {
      code: "state_open",
      fix: "check that the file and its directory exist and are readable and writable, or set `state` in the config",
      cause: error,
    });
  }
  return new ConfigurationError(`${at}: ${(error as Error).message} (${code})`, { code: "state_error", cause: error });
}
