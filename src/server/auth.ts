import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./deps.ts";
import { ApiError } from "./errors.ts";

export const SIGNATURE_HEADER = "x-syncline-signature";
const TRIGGER_PATH = /^\/v1\/syncs\/[^/]+\/runs\/?$/;

export interface AuthOptions {
  tokens: readonly string[];
  /** Lets a trigger prove itself with an HMAC of its body instead of a token. */
  hmacSecret?: string | undefined;
  toleranceMs: number;
  now?: () => number;
}

/**
 * Every /v1 route needs `Authorization: Bearer <token>`. Tokens are compared as SHA-256
 * digests with timingSafeEqual, against every configured token, so neither the length nor
 * the content of a guess changes the time taken. A trigger (POST /v1/syncs/{sync}/runs) may
 * instead carry `X-Syncline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 */
export function authenticate(options: AuthOptions): MiddlewareHandler<AppEnv> {
  const digests = options.tokens.map(digest);
  const now = options.now ?? Date.now;
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (header !== undefined) {
      const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
      if (!match || !matchesAny(digests, digest(match[1]!))) {
        throw unauthorized("invalid_token", "the bearer token is not valid");
      }
      c.set("auth", "token");
      return next();
    }
    const signature = c.req.header(SIGNATURE_HEADER);
    if (signature !== undefined && options.hmacSecret && c.req.method === "POST" && TRIGGER_PATH.test(c.req.path)) {
      const body = await c.req.text();
      const verdict = verify(options.hmacSecret, body, signature, options.toleranceMs, now());
      if (verdict !== "ok") {
        throw unauthorized(
          verdict === "expired" ? "signature_expired" : "invalid_signature",
          verdict === "expired"
            ? "the signature's timestamp is outside the replay window; sign each request when sending it"
            : `the ${SIGNATURE_HEADER} header does not match the body`,
        );
      }
      c.set("auth", "hmac");
      c.set("signature", signatureValue(signature));
      return next();
    }
    throw unauthorized(
      "unauthorized",
      digests.length === 0 && !options.hmacSecret
        ? "no API token is configured: set SYNCLINE_API_TOKEN or server.tokens, then send Authorization: Bearer <token>"
        : "send Authorization: Bearer <token>",
    );
  };
}

/** `t=<unix seconds>,v1=<hex>`, signing `"<t>.<body>"`: the format Syncline's webhook destination sends. */
export function sign(secret: string, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

export function verify(
  secret: string,
  body: string,
  header: string,
  toleranceMs: number,
  now: number,
): "ok" | "invalid" | "expired" {
  const parts = new Map<string, string>();
  for (const part of header.split(",")) {
    const at = part.indexOf("=");
    if (at > 0) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const t = parts.get("t");
  const given = parts.get("v1");
  if (!t || !/^\d{1,12}$/.test(t) || !given || !/^[0-9a-f]{64}$/.test(given)) return "invalid";
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(given, "hex"))) return "invalid";
  return Math.abs(now - Number(t) * 1000) > toleranceMs ? "expired" : "ok";
}

function signatureValue(header: string): string {
  return /v1=([0-9a-f]{64})/.exec(header)?.[1] ?? header;
}

export function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

export function matchesAny(digests: readonly Buffer[], given: Buffer): boolean {
  let found = false;
  for (const candidate of digests) found = timingSafeEqual(candidate, given) || found;
  return found;
}

function unauthorized(code: string, message: string): ApiError {
  return new ApiError(401, code, message, { headers: { "www-authenticate": 'Bearer realm="syncline"' } });
}
