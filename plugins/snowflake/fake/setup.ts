import { generateKeyPairSync } from "node:crypto";
import { setupServer } from "msw/node";
import snowflake from "snowflake-sdk";
import { SnowflakeFake, type SnowflakeFakeOptions } from "./fake.ts";
import { snowflakeHandlers } from "./msw.ts";

/** The account the tests talk to; msw answers for its real-looking URL. */
export const ACCOUNT = "xy12345";
export const ACCOUNT_URL = "https://xy12345.snowflakecomputing.com";
export const PASSWORD = "Sn0w-s3cret-pw";
export const PASSPHRASE = "k3y-passphrase";
export const SLOW_MARKER = "syncline_slow_query";

/** An RSA key pair for key-pair authentication; the private key is encrypted with PASSPHRASE. */
export function keyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: PASSPHRASE },
  });
}

/**
 * A fake account behind msw. A fake cannot present Snowflake's certificate chain, so the
 * driver's OCSP check of it is switched off; everything above TLS is the real driver.
 */
export async function startFakeSnowflake(options: Partial<SnowflakeFakeOptions> = {}) {
  snowflake.configure({ disableOCSPChecks: true });
  const keys = keyPair();
  const fake = await SnowflakeFake.create({
    account: ACCOUNT,
    users: { SYNCLINE: { password: PASSWORD }, SYNCLINE_KEYPAIR: { publicKey: keys.publicKey } },
    warehouses: ["TRANSFORMING"],
    roles: ["PUBLIC", "SYNCLINE_READER"],
    databases: ["ANALYTICS"],
    latencyMs: (sql) => (sql.includes(SLOW_MARKER) ? 120_000 : 0),
    ...options,
  });
  const server = setupServer(...snowflakeHandlers(fake, ACCOUNT_URL));
  server.listen({ onUnhandledFrame: "bypass" });
  return {
    fake,
    keys,
    close() {
      server.close();
      fake.close();
    },
  };
}

export const baseConfig = {
  account: ACCOUNT,
  username: "syncline",
  password: PASSWORD,
  role: "SYNCLINE_READER",
  warehouse: "TRANSFORMING",
  database: "ANALYTICS",
  schema: "MARTS",
  accessUrl: ACCOUNT_URL,
};
