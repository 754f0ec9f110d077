import { ConfigurationError, type SynclineError, TransientError } from "syncline/sdk";

interface DriverError {
  code?: unknown;
  sqlState?: unknown;
  response?: { statusCode?: number };
  message?: string;
}

const NETWORK_FIX = "check `account` (or `accessUrl`), the network path to Snowflake and any proxy or firewall";
const GRANTS =
  "GRANT USAGE ON WAREHOUSE, DATABASE and SCHEMA and SELECT ON the model's tables (or FUTURE TABLES) to the role";

/** Login refusals (GS error codes 390xxx) and what to do about each. */
const LOGIN: Record<string, string> = {
  "390100": "check `username` and `password`",
  "390101": "the user is locked; an admin must unlock it (ALTER USER … SET MINS_TO_UNLOCK = 0)",
  "390102": "the user is disabled; an admin must enable it",
  "390144":
    "check `privateKey`/`privateKeyPath` and `privateKeyPassphrase`, and that the user's RSA_PUBLIC_KEY is its public key",
  "390189": "correct `role` or GRANT ROLE … TO USER",
  "390201": "correct `warehouse` or `database`, or grant the role USAGE on it",
  "390422": "the account's network policy refuses this host's IP address; allow it",
};

/**
 * Classifies a snowflake-sdk error by its code: Snowflake's error codes (strings such as
 * "002003") and SQLSTATE for statements and logins, the driver's numeric codes (401001 …)
 * for its own failures, and the HTTP status for failed requests. Never by message text.
 */
export function classifySnowflakeError(error: unknown, what: string): SynclineError {
  const { code: rawCode, sqlState: rawState, response } = (error ?? {}) as DriverError;
  const code = rawCode === undefined || rawCode === null ? "" : String(rawCode);
  const sqlState = typeof rawState === "string" ? rawState : "";
  const message = `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
  const config = (fix: string) => new ConfigurationError(message, { code: code || "snowflake", fix, cause: error });
  const transient = (tag: string, fix?: string) => new TransientError(message, { code: tag, fix, cause: error });

  if (LOGIN[code]) return config(LOGIN[code]);
  if (code.startsWith("390")) {
    return code === "390112" || code === "390114"
      ? transient("session_expired")
      : config("Snowflake refused the login; check the credentials");
  }
  switch (code) {
    case "000606":
      return config(
        "no warehouse: set `warehouse` (or the user's DEFAULT_WAREHOUSE) and GRANT USAGE ON WAREHOUSE to the role",
      );
    case "002003":
    case "002043":
      return config(`the object does not exist or the role cannot see it: correct the model or ${GRANTS}`);
    case "003001":
      return config(`the role lacks a privilege: ${GRANTS}`);
    case "000604":
      return transient("cancelled");
    case "000630":
      return transient(
        "query_timeout",
        "the query hit `queryTimeoutMs` (or the warehouse's STATEMENT_TIMEOUT_IN_SECONDS)",
      );
    // The driver's own codes (snowflake-sdk ErrorCode).
    case "401001":
    case "402001":
      return transient("network", NETWORK_FIX);
    case "401002":
      return httpFailure(response?.statusCode ?? 0, config, transient);
    case "401003":
    case "402002":
      return transient("bad_response");
  }
  if (code.startsWith("404")) return config("a connection option is invalid: correct the Snowflake source's options");
  if (code.startsWith("405") || code.startsWith("406") || code.startsWith("407")) return transient("connection");
  if (sqlState.startsWith("42") || sqlState.startsWith("22") || sqlState === "0A000") {
    return config("correct the model's SQL, its table names or the mapped columns");
  }
  if (
    sqlState.startsWith("57") ||
    sqlState.startsWith("08") ||
    sqlState.startsWith("XX") ||
    sqlState.startsWith("40")
  ) {
    return transient(code || "snowflake");
  }
  return config("unexpected Snowflake error; see the message");
}

function httpFailure(
  status: number,
  config: (fix: string) => SynclineError,
  transient: (tag: string, fix?: string) => SynclineError,
): SynclineError {
  if (status === 429 || status === 408 || status >= 500) return transient(`http_${status}`);
  if (status === 403) return config("Snowflake refused this host (network policy or PrivateLink-only account)");
  if (status === 404) return config("no such Snowflake account: check `account` (e.g. myorg-myaccount)");
  return config(`Snowflake answered HTTP ${status}; check \`account\` and \`accessUrl\``);
}
