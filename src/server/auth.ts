import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./deps.ts";
import { ApiError } from "./errors.ts";

export const SIGNATURE_HEADER = "x-syncline-signature";
const TRIGGER_PATH = /^\/v1\/(syncs|sequences)\/[^/]+\/runs\/?$/;

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
 * the content of a guess changes the time taken. A trigger (POST /v1/syncs/{sync}/runs or
 * POST /v1/sequences/{name}/runs) may
 * instead carry `X-Syncline-Signature: t=<unix seconds>,v2=<hex HMAC-SHA256>` of the string
 * `signingString` builds: the timestamp, method, path with query, and body, so a signature
 * counts for exactly the request it was made for. The route makes it single-use.
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
      const request = { method: c.req.method, target: requestTarget(c.req.url), body: await c.req.text() };
      const verdict = verify(options.hmacSecret, request, signature, options.toleranceMs, now());
      if (typeof verdict === "string") throw unauthorized(verdict, VERDICTS[verdict]);
      c.set("auth", "hmac");
      c.set("signature", { value: verdict.signature, expiresAt: verdict.t * 1000 + options.toleranceMs });
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

export interface SignedRequest {
  /** The HTTP method, for example POST. */
  method: string;
  /** The path and query string as sent, for example `/v1/syncs/contacts/runs?wait=true`. */
  target: string;
  /** The raw body (empty when there is none). */
  body: string;
}

/**
 * What a sender signs: `<t>\n<METHOD>\n<path?query>\n<body>`. A request target cannot hold a
 * newline and the body comes last, so no two requests share a signing string.
 */
export function signingString(t: number | string, request: SignedRequest): string {
  return `${t}\n${request.method.toUpperCase()}\n${request.target}\n${request.body}`;
}

/** `t=<unix seconds>,v2=<hex>`: the header a sender of a signed trigger sends. */
export function sign(secret: string, request: SignedRequest, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v2=${hmac(secret, signingString(t, request)).toString("hex")}`;
}

type Refusal = "invalid_signature" | "signature_expired" | "signature_scheme_outdated";

const VERDICTS: Record<Refusal, string> = {
  invalid_signature: `the ${SIGNATURE_HEADER} header does not match this request: sign "<t>\\n<METHOD>\\n<path?query>\\n<body>" exactly as sent (docs/service.md, signed triggers)`,
  signature_expired: "the signature's timestamp is outside the replay window; sign each request when sending it",
  signature_scheme_outdated: `v1 signatures (of "<t>.<body>") are no longer accepted: they do not cover the route or its options; sign "<t>\\n<METHOD>\\n<path?query>\\n<body>" and send it as v2=<hex> (docs/service.md, signed triggers)`,
};

export function verify(
  secret: string,
  request: SignedRequest,
  header: string,
  toleranceMs: number,
  now: number,
): { t: number; signature: string } | Refusal {
  const parts = new Map<string, string>();
  for (const part of header.split(",")) {
    const at = part.indexOf("=");
    if (at > 0) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const t = parts.get("t");
  const given = parts.get("v2");
  if (given === undefined && parts.has("v1")) return "signature_scheme_outdated";
  if (!t || !/^\d{1,12}$/.test(t) || !given || !/^[0-9a-f]{64}$/.test(given)) return "invalid_signature";
  if (!timingSafeEqual(hmac(secret, signingString(t, request)), Buffer.from(given, "hex"))) return "invalid_signature";
  if (Math.abs(now - Number(t) * 1000) > toleranceMs) return "signature_expired";
  return { t: Number(t), signature: given };
}

/** The path and query of a request URL, as WHATWG URL parsing gives them (no scheme, host or fragment). */
export function requestTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

function hmac(secret: string, text: string): Buffer {
  return createHmac("sha256", secret).update(text).digest();
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
