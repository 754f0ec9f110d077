import { createVerify, randomUUID } from "node:crypto";
import type { SalesforceFakeOptions } from "./options.ts";
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_USERNAME } from "./options.ts";

interface Token {
  calls: number;
  valid: boolean;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The OAuth 2.0 token endpoint (client-credentials and JWT bearer) and the tokens it issued. */
export class TokenIssuer {
  readonly #options: SalesforceFakeOptions;
  readonly #tokens = new Map<string, Token>();
  issued = 0;

  constructor(options: SalesforceFakeOptions) {
    this.#options = options;
  }

  /** Answers `POST /services/oauth2/token`. */
  async token(request: Request): Promise<TokenAnswer> {
    const form = new URLSearchParams(await request.text());
    const grant = form.get("grant_type");
    if (grant === "client_credentials") {
      const idOk = form.get("client_id") === (this.#options.clientId ?? FAKE_CLIENT_ID);
      const secretOk = form.get("client_secret") === (this.#options.clientSecret ?? FAKE_CLIENT_SECRET);
      if (!idOk || !secretOk) return refuse("invalid_client", "invalid client credentials");
      return this.#issue(request);
    }
    if (grant === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      const problem = this.#checkAssertion(form.get("assertion") ?? "");
      return problem ? refuse("invalid_grant", problem) : this.#issue(request);
    }
    return refuse("unsupported_grant_type", "grant type not supported");
  }

  /** Whether a bearer token may make one more API call (and counts the call). */
  use(token: string | undefined): boolean {
    const entry = token ? this.#tokens.get(token) : undefined;
    if (!entry?.valid) return false;
    const ttl = this.#options.tokenTtlCalls;
    if (ttl !== undefined && entry.calls >= ttl) {
      entry.valid = false;
      return false;
    }
    entry.calls++;
    return true;
  }

  /** Every issued token stops working (a session timeout or a revoked connected app). */
  expireAll(): void {
    for (const token of this.#tokens.values()) token.valid = false;
  }

  #issue(request: Request): TokenAnswer {
    const accessToken = `00DFk0000000001!${randomUUID().replaceAll("-", "")}`;
    this.#tokens.set(accessToken, { calls: 0, valid: true });
    this.issued++;
    const instanceUrl = this.#options.instanceUrl ?? new URL(request.url).origin;
    return {
      status: 200,
      body: {
        access_token: accessToken,
        instance_url: instanceUrl,
        id: `${instanceUrl}/id/00DFk0000000001/005Fk0000000001`,
        token_type: "Bearer",
        issued_at: String(Date.now()),
        signature: Buffer.from(randomUUID()).toString("base64"),
        scope: "api",
      },
    };
  }

  #checkAssertion(assertion: string): string | undefined {
    const { publicKey } = this.#options;
    if (!publicKey) return "the fake has no publicKey to check JWT bearer assertions with";
    const [header, payload, signature] = assertion.split(".");
    if (!header || !payload || !signature) return "invalid assertion";
    const verified = createVerify("RSA-SHA256")
      .update(`${header}.${payload}`)
      .verify(publicKey, Buffer.from(signature, "base64url"));
    if (!verified) return "invalid assertion";
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    if (claims.iss !== (this.#options.clientId ?? FAKE_CLIENT_ID)) return "invalid client id";
    if (claims.sub !== (this.#options.username ?? FAKE_USERNAME)) return "user hasn't approved this consumer";
    if (typeof claims.aud !== "string" || claims.aud === "") return "audience is invalid";
    if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) return "expired authorization code";
    return undefined;
  }
}

function refuse(error: string, description: string): TokenAnswer {
  return { status: 400, body: { error, error_description: description } };
}
