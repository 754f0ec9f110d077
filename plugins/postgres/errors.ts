import { ConfigurationError, type SynclineError, TransientError } from "syncline/sdk";

const NETWORK = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
const TLS = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

const NETWORK_FIX = "check `host`/`port` (or `url`), that the server is running and that this host may reach it";

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

  if (NETWORK.has(code)) return transient(NETWORK_FIX, "network");
  if (code === "ENOTFOUND") return config(`the host name does not resolve: ${NETWORK_FIX}`, "host_not_found");
  if (TLS.has(code)) return config("check `ssl` (mode, ca): the server certificate could not be verified", "tls");

  const sqlClass = code.slice(0, 2);
  switch (code) {
    case "3D000":
      return config("the database does not exist: correct `database` (or the URL's path)");
    case "3F000":
      return config("the schema does not exist: correct the model's schema");
    case "42P01":
      return config("the table or view does not exist (or the user cannot see it): correct the model or grant access");
    case "42703":
      return config("a column does not exist: correct the model or the sync's mapping and primary key");
    case "42601":
      return config("the model's SQL has a syntax error");
    case "42501":
      return config("the user lacks a privilege: GRANT USAGE ON SCHEMA … and GRANT SELECT ON the model's tables to it");
    case "57014":
      return transient(
        "the query was cancelled or hit `queryTimeoutMs`; raise it or make the model faster",
        "query_timeout",
      );
    case "55P03":
      return transient(undefined, "lock_not_available");
  }
  switch (sqlClass) {
    case "08":
    case "53":
    case "57":
    case "58":
    case "40":
    case "XX":
      return transient(sqlClass === "08" ? NETWORK_FIX : undefined);
    case "28":
      return config("the server refused the login: check `user` and `password` (or the URL) and pg_hba.conf");
    case "42":
      return config("the model's SQL is invalid: correct it");
    case "22":
      return config("the model produced a value Postgres could not compute (data exception): correct the model");
    case "0A":
      return config("the model uses a feature this server does not support");
  }
  if (sqlClass.length === 2 && code.length === 5) return config("the model failed on the server: correct it");
  return transient(undefined, "unexpected");
}
