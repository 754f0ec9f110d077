import { createPublicKey, randomUUID, verify } from "node:crypto";

export const TOKEN_URL = "https://oauth2.googleapis.com/token";
const SCOPE = "https://www.googleapis.com/auth/bigquery";

/**
 * Google's OAuth token endpoint for service accounts (RFC 7523 JWT bearer grant): checks the
 * assertion's RS256 signature against the service account's registered public key, its
 * audience and scope, and issues access tokens the fake BigQuery accepts.
 */
export class FakeTokenEndpoint {
  private readonly tokens = new Map<string, string>();
  private readonly keys: Record<string, string>;

  /** `keys`: service-account email → public key PEM. */
  constructor(keys: Record<string, string>) {
    this.keys = keys;
  }

  async handle(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      return oauthError("unsupported_grant_type", "Invalid grant_type.");
    }
    const claims = this.verify(form.get("assertion") ?? "");
    if (!claims) return oauthError("invalid_grant", "Invalid JWT Signature.");
    if (
      claims.aud !== TOKEN_URL ||
      !String(claims.scope ?? "")
        .split(" ")
        .includes(SCOPE)
    ) {
      return oauthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
    }
    const token = `ya29.fake-${randomUUID()}`;
    this.tokens.set(token, String(claims.iss));
    return Response.json({ access_token: token, expires_in: 3599, token_type: "Bearer" });
  }

  /** The service account behind an `Authorization: Bearer …` header, if the token is valid. */
  principal(authorization: string | null): string | undefined {
    const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
    const issued = this.tokens.get(token);
    if (issued) return issued;
    // Self-signed JWTs (used by the client libraries for some endpoints) are accepted too.
    const claims = this.verify(token);
    return claims ? String(claims.iss) : undefined;
  }

  private verify(jwt: string): Record<string, unknown> | undefined {
    const [header, payload, signature] = jwt.split(".");
    if (!header || !payload || !signature) return undefined;
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const key = this.keys[String(claims.iss)];
    if (!key) return undefined;
    const ok = verify(
      "RSA-SHA256",
      Buffer.from(`${header}.${payload}`),
      createPublicKey(key),
      Buffer.from(signature, "base64url"),
    );
    if (!ok || Number(claims.exp ?? 0) * 1000 < Date.now()) return undefined;
    return claims;
  }
}

function oauthError(error: string, description: string): Response {
  return Response.json({ error, error_description: description }, { status: 400 });
}
