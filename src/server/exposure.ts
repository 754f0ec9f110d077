import { DEFAULTS } from "../config/defaults.ts";
import type { ServerSettings } from "../host/loaded-config.ts";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";

/** Addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * The service refuses to listen beyond loopback with a credential anyone could know: one of
 * the docs' examples (the quick start's `quickstart-token-change-me`) or one shorter than the
 * documented minimum. On loopback only this machine can call it, so the quick start runs as is.
 * The message names the credential by where it is set, never by its value.
 */
export function checkExposure(server: ServerSettings): void {
  if (isLoopback(server.host)) return;
  const credentials = [
    ...server.tokens.map((token) => ({ what: "an API token (server.tokens or SYNCLINE_API_TOKEN)", value: token })),
    ...(server.hmacSecret ? [{ what: "server.hmacSecret", value: server.hmacSecret }] : []),
  ];
  for (const { what, value } of credentials) {
    const weakness = weaknessOf(value);
    if (!weakness) continue;
    throw new ConfigurationError(
      `refusing to listen on ${server.host} (reachable from other machines) with ${what} that is ${weakness}`,
      {
        code: "weak_token",
        path: "server.tokens",
        fix:
          "set a real one, for example SYNCLINE_API_TOKEN=$(openssl rand -hex 32) (or server.tokens / server.hmacSecret " +
          "from ${VARS}); or set server.host: 127.0.0.1 to listen on this machine only",
      },
    );
  }
}

function weaknessOf(value: string): string | undefined {
  const lower = value.toLowerCase();
  const mark = DEFAULTS.server.exampleSecretMarks.find((m) => lower.includes(m));
  if (mark) return `an example from the docs (it contains "${mark}")`;
  const min = DEFAULTS.server.minExposedSecretLength;
  if (value.length < min) return `shorter than ${min} characters`;
  return undefined;
}
