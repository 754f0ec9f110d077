import { createSign } from "node:crypto";

export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
}

/** A JWT signed with RS256, as the OAuth 2.0 JWT bearer flow expects. */
export function signJwt(claims: JwtClaims, privateKeyPem: string): string {
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createSign("RSA-SHA256").update(`${header}.${payload}`).sign(privateKeyPem);
  return `${header}.${payload}.${base64url(signature)}`;
}

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString("base64url");
}
