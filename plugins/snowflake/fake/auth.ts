import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";

export interface FakeUser {
  password?: string;
  /** PEM of the RSA public key registered with `ALTER USER … SET RSA_PUBLIC_KEY`. */
  publicKey?: string;
}

export interface LoginFailure {
  code: string;
  message: string;
}

/** The parts of a login-request body the fake checks. */
export interface LoginData {
  ACCOUNT_NAME?: string;
  LOGIN_NAME?: string;
  PASSWORD?: string;
  AUTHENTICATOR?: string;
  TOKEN?: string;
}

const WRONG_CREDENTIALS: LoginFailure = { code: "390100", message: "Incorrect username or password was specified." };

/**
 * Checks a login as Snowflake does: a password, or (AUTHENTICATOR = SNOWFLAKE_JWT) a JWT
 * signed RS256 by the user's private key, `sub` = ACCOUNT.USER and `iss` = ACCOUNT.USER.SHA256:<fingerprint
 * of the registered public key>.
 */
export function checkLogin(
  data: LoginData,
  account: string,
  users: Record<string, FakeUser>,
): LoginFailure | undefined {
  const loginName = (data.LOGIN_NAME ?? "").toUpperCase();
  const user = Object.entries(users).find(([name]) => name.toUpperCase() === loginName)?.[1];
  if ((data.ACCOUNT_NAME ?? "").toUpperCase() !== account.toUpperCase()) return WRONG_CREDENTIALS;
  if (data.AUTHENTICATOR === "SNOWFLAKE_JWT") {
    if (!user?.publicKey || !data.TOKEN) return { code: "390144", message: "JWT token is invalid." };
    return checkJwt(data.TOKEN, `${account}.${loginName}`.toUpperCase(), createPublicKey(user.publicKey));
  }
  if (!user || user.password === undefined || user.password !== data.PASSWORD) return WRONG_CREDENTIALS;
  return undefined;
}

function checkJwt(token: string, subject: string, key: KeyObject): LoginFailure | undefined {
  const invalid = { code: "390144", message: "JWT token is invalid." };
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return invalid;
  const signed = verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url"));
  if (!signed) return invalid;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
    iss?: string;
    sub?: string;
    exp?: number;
  };
  const fingerprint = createHash("sha256")
    .update(key.export({ format: "der", type: "spki" }))
    .digest("base64");
  if (claims.sub !== subject || claims.iss !== `${subject}.SHA256:${fingerprint}`) return invalid;
  // The Node.js driver writes iat/exp in milliseconds; accept seconds or milliseconds.
  const expires = (claims.exp ?? 0) > 1e11 ? (claims.exp ?? 0) : (claims.exp ?? 0) * 1000;
  if (expires < Date.now()) return invalid;
  return undefined;
}
