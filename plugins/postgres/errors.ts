import { ConfigurationError, type SynclineError, TransientError } from "syncline/sdk";
import { NETWORK_CODES, NETWORK_FIX, socketFailure } from "../sql-table/errors.ts";

const NETWORK = new Set(NETWORK_CODES);
const TLS = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** SQLSTATEs the user must fix, and how; looked up before the class tables below. */
const CONFIG_BY_CODE: ReadonlyMap<string, string> = new Map(
  Object.entries({
    "3D000": "the database does not exist: correct `database` (or the URL's path)",
    "3F000": "the schema does not exist: correct the model's schema",
    "42P01": "the table or view does not exist (or the user cannot see it): correct the model or grant access",
    "42703": "a column does not exist: correct the model or the sync's mapping and primary key",
    "42601": "the model's SQL has a syntax error",
    "42501": "the user lacks a privilege: GRANT USAGE ON SCHEMA … and GRANT SELECT ON the model's tables to it",
  }),
);

/** SQLSTATEs worth trying again, with their own tag (and fix). */
const TRANSIENT_BY_CODE: ReadonlyMap<string, { tag: string; fix?: string }> = new Map(
  Object.entries({
    "57014": {
      tag: "query_timeout",
      fix: "the query was cancelled or hit `queryTimeoutMs`; raise it or make the model faster",
    },
    "55P03": { tag: "lock_not_available" },
  }),
);

/** SQLSTATE classes worth trying again: connection, resources, operator, system, rollback, internal. */
const TRANSIENT_CLASSES = new Set(["08", "53", "57", "58", "40", "XX"]);

const CONFIG_BY_CLASS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    "28": "the server refused the login: check `user` and `password` (or the URL) and pg_hba.conf",
    "42": "the model's SQL is invalid: correct it",
    "22": "the model produced a value Postgres could not compute (data exception): correct the model",
    "0A": "the model uses a feature this server does not support",
  }),
);

/**
 * Classifies a pg error by its SQLSTATE (`code`), or a socket error by its Node error code.
 * Never by message text.
 */
export function classifyPgError(error: unknown, what: string): SynclineError {
  const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "";
  const detail = error instanceof Error ? error.message : String(error);
  const message = `${what} failed: ${detail}`;
  const config = (fix: string, tag = code) => new ConfigurationError(message, { code: tag, fix, cause: error });
  const transient = (fix?: string, tag = code) => new TransientError(message, { code: tag, cause: error, fix });

  const socket = socketFailure(code, NETWORK, message, error);
  if (socket) return socket;
  if (TLS.has(code)) return config("check `ssl` (mode, ca): the server certificate could not be verified", "tls");

  const sqlClass = code.slice(0, 2);
  const byCode = CONFIG_BY_CODE.get(code);
  if (byCode) return config(byCode);
  const retry = TRANSIENT_BY_CODE.get(code);
  if (retry) return transient(retry.fix, retry.tag);
  if (TRANSIENT_CLASSES.has(sqlClass)) return transient(sqlClass === "08" ? NETWORK_FIX : undefined);
  const byClass = CONFIG_BY_CLASS.get(sqlClass);
  if (byClass) return config(byClass);
  if (sqlClass.length === 2 && code.length === 5) return config("the model failed on the server: correct it");
  return transient(undefined, "unexpected");
}
