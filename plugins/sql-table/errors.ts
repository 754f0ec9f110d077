import { ConfigurationError, type SynclineError, TransientError } from "syncline/sdk";

/** Node's codes for a server that cannot be reached (for now): worth trying again. */
export const NETWORK_CODES: readonly string[] = [
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
];

export const NETWORK_FIX = "check `host`/`port` (or `url`), that the server is running and that this host may reach it";

/**
 * A socket-level failure by its Node code: `network` trouble is transient, a host name that
 * does not resolve is a configuration error. Undefined for any other code.
 */
export function socketFailure(
  code: string,
  network: ReadonlySet<string>,
  message: string,
  cause: unknown,
): SynclineError | undefined {
  if (network.has(code)) return new TransientError(message, { code: "network", fix: NETWORK_FIX, cause });
  if (code === "ENOTFOUND") {
    return new ConfigurationError(message, {
      code: "host_not_found",
      fix: `the host name does not resolve: ${NETWORK_FIX}`,
      cause,
    });
  }
  return undefined;
}
