import { ConfigurationError, isSynclineError, PermanentError, type SynclineError, TransientError } from "syncline/sdk";
import { NETWORK_CODES, socketFailure } from "../sql-table/errors.ts";
import type { RecordRefusal } from "../sql-table/isolate.ts";

interface MysqlError {
  code?: string;
  errno?: number;
  sqlState?: string;
  message?: string;
}

const NETWORK = new Set([...NETWORK_CODES, "PROTOCOL_CONNECTION_LOST"]);

const PRIVILEGE_FIX =
  "the user lacks a privilege: GRANT SELECT, INSERT, UPDATE, DELETE (and CREATE for createTable) on the table";

/** Server error numbers the user must fix, and how. */
const CONFIG_FIXES: Readonly<Record<number, string>> = {
  1045: "the server refused the login: check `user` and `password` (or the URL)",
  1044: PRIVILEGE_FIX,
  1142: PRIVILEGE_FIX,
  1143: PRIVILEGE_FIX,
  1049: "the database does not exist: correct `database` (or the URL's path)",
  1146: "the table does not exist: create it, correct the sync's `object`, or set `options.createTable`",
  1054: "a column does not exist: add it to the table or correct the sync's `mapping`",
};

/** Lock wait timeout and deadlock: the transaction was rolled back and may be tried again. */
const LOCK_ERRNOS = new Set([1205, 1213]);

/** Refusals that belong to one record: bad values (wrong type, too long, out of range) and constraints. */
const RECORD_ERRNOS = new Set([1048, 1062, 1264, 1265, 1292, 1366, 1406, 1451, 1452, 3819, 4025]);

export function mysqlRefusal(error: unknown): RecordRefusal | undefined {
  const { code, errno, sqlState, message } = (error ?? {}) as MysqlError;
  const byState = sqlState?.startsWith("22") || sqlState?.startsWith("23");
  if (!byState && !(errno !== undefined && RECORD_ERRNOS.has(errno))) return undefined;
  return { code: code ?? String(errno), message: String(message) };
}

/**
 * Classifies a mysql2 error by its server error number or its Node/driver code, never by
 * its text. `what` says what was being done, for example `writing to "contacts"`.
 */
export function mysqlError(error: unknown, what: string): SynclineError {
  if (isSynclineError(error)) return error;
  const { code = "", errno, message } = (error ?? {}) as MysqlError;
  const text = `${what} failed: ${message ?? String(error)}`;
  const config = (fix: string, tag = code) => new ConfigurationError(text, { code: tag, fix, cause: error });
  const socket = socketFailure(code, NETWORK, text, error);
  if (socket) return socket;
  if (code === "HANDSHAKE_NO_SSL_SUPPORT" || code.includes("CERT") || code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return config("TLS failed: check `ssl` (the server must have TLS on; `ca` must sign its certificate)", "tls");
  }
  const fix = errno === undefined ? undefined : CONFIG_FIXES[errno];
  if (fix) return config(fix);
  if (errno !== undefined && LOCK_ERRNOS.has(errno)) return new TransientError(text, { code: "lock", cause: error });
  // A record's refusal that escaped isolation: the engine splits the batch to find it.
  if (mysqlRefusal(error)) return new PermanentError(text, { code: code || String(errno), cause: error });
  return new TransientError(text, { code: code || "unexpected", cause: error });
}
