import { ConfigurationError, isSynclineError, PermanentError, type SynclineError, TransientError } from "syncline/sdk";
import type { RecordRefusal } from "../sql-table/isolate.ts";

interface MysqlError {
  code?: string;
  errno?: number;
  sqlState?: string;
  message?: string;
}

const NETWORK = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
]);
const NETWORK_FIX = "check `host`/`port` (or `url`), that the server is running and that this host may reach it";

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
  const transient = (tag = code, fix?: string) => new TransientError(text, { code: tag, fix, cause: error });
  if (NETWORK.has(code)) return transient("network", NETWORK_FIX);
  if (code === "ENOTFOUND") return config(`the host name does not resolve: ${NETWORK_FIX}`, "host_not_found");
  if (code === "HANDSHAKE_NO_SSL_SUPPORT" || code.includes("CERT") || code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return config("TLS failed: check `ssl` (the server must have TLS on; `ca` must sign its certificate)", "tls");
  }
  switch (errno) {
    case 1045:
      return config("the server refused the login: check `user` and `password` (or the URL)");
    case 1044:
    case 1142:
    case 1143:
      return config(
        "the user lacks a privilege: GRANT SELECT, INSERT, UPDATE, DELETE (and CREATE for createTable) on the table",
      );
    case 1049:
      return config("the database does not exist: correct `database` (or the URL's path)");
    case 1146:
      return config("the table does not exist: create it, correct the sync's `object`, or set `options.createTable`");
    case 1054:
      return config("a column does not exist: add it to the table or correct the sync's `mapping`");
    case 1205:
    case 1213:
      return transient("lock");
  }
  // A record's refusal that escaped isolation: the engine splits the batch to find it.
  if (mysqlRefusal(error)) return new PermanentError(text, { code: code || String(errno), cause: error });
  return transient(code || "unexpected");
}
