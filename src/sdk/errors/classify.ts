import type { HTTPError } from "ky";
import { ConfigurationError } from "./configuration-error.ts";
import { errorForStatus } from "./http-status.ts";
import { isSynclineError, type SynclineError } from "./syncline-error.ts";
import { TransientError } from "./transient-error.ts";

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/**
 * Turns anything thrown by a plugin or a driver into a SynclineError, by its type and
 * status, never by its message text. Unknown errors are treated as configuration errors
 * (a bug or an unexpected condition should stop the run loudly, not loop forever).
 */
export function classify(error: unknown): SynclineError {
  if (isSynclineError(error)) return error;
  if (isKyError<HTTPError>(error, "HTTPError")) {
    return errorForStatus(error.response.status, error.response.headers, error.response.statusText);
  }
  if (isKyError(error, "TimeoutError"))
    return new TransientError("request timed out", { code: "timeout", cause: error });
  if (isKyError<Error>(error, "NetworkError")) {
    const code = networkCode(error);
    return new TransientError(`network error${code ? ` (${code})` : ""}: the destination could not be reached`, {
      code: "network",
      cause: error,
    });
  }
  const sqlite = sqliteError(error);
  if (sqlite) return sqlite;
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return new TransientError("timed out", { code: "timeout", cause: error });
    const code = networkCode(error);
    if (code) return new TransientError(`connection failed (${code})`, { code: "network", cause: error });
    if (error.name === "AbortError") return new TransientError("aborted", { code: "aborted", cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ConfigurationError(message, { code: "unexpected", cause: error });
}

/**
 * ky's own type guards (isHTTPError, isTimeoutError, isNetworkError) test `instanceof` or the
 * class's name; the name alone covers both, without loading ky (src/sdk/http.ts) to classify.
 */
function isKyError<T extends Error = Error>(
  error: unknown,
  name: "HTTPError" | "TimeoutError" | "NetworkError",
): error is T {
  return (error as { name?: unknown } | null | undefined)?.name === name;
}

function networkCode(error: Error): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
    current = current.cause;
  }
  return undefined;
}

/** SQLite errors from the state file, by their result code (better-sqlite3's `code`). */
function sqliteError(error: unknown): SynclineError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return undefined;
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new TransientError("the state database is busy (another process holds a write lock)", {
      code: "state_busy",
      cause: error,
    });
  }
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_FULL") || code.startsWith("SQLITE_IOERR")) {
    return new ConfigurationError(`the state database cannot be written (${code})`, {
      code: "state_unwritable",
      fix: "check that the state file and its directory are writable and the disk is not full",
      cause: error,
    });
  }
  return undefined;
}
