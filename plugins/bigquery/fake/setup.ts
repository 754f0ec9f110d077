import { generateKeyPairSync } from "node:crypto";
import { setupServer } from "msw/node";
import { BigQueryFake, type BigQueryFakeOptions } from "./fake.ts";
import { bigqueryHandlers } from "./msw.ts";

export const PROJECT = "syncline-test";
export const SLOW_MARKER = "syncline_slow_job";
export const SERVICE_ACCOUNT = `syncline-reader@${PROJECT}.iam.gserviceaccount.com`;
export const NO_JOBS_ACCOUNT = `no-jobs@${PROJECT}.iam.gserviceaccount.com`;

/** A service-account key file's JSON for `email`, with a freshly generated RSA key. */
export function serviceAccountKey(email: string): { json: string; publicKey: string; privateKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const json = JSON.stringify({
    type: "service_account",
    project_id: PROJECT,
    private_key_id: "0123456789abcdef",
    private_key: privateKey,
    client_email: email,
    client_id: "100000000000000000000",
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: "https://oauth2.googleapis.com/token",
  });
  return { json, publicKey, privateKey };
}

/** The fake behind msw on BigQuery's and Google OAuth's real hosts. */
export async function startFakeBigQuery(options: Partial<BigQueryFakeOptions> = {}) {
  const reader = serviceAccountKey(SERVICE_ACCOUNT);
  const noJobs = serviceAccountKey(NO_JOBS_ACCOUNT);
  const fake = await BigQueryFake.create({
    projectId: PROJECT,
    location: "EU",
    serviceAccounts: { [SERVICE_ACCOUNT]: reader.publicKey, [NO_JOBS_ACCOUNT]: noJobs.publicKey },
    jobUsers: [SERVICE_ACCOUNT],
    latencyMs: (sql) => (sql.includes(SLOW_MARKER) ? 120_000 : 0),
    ...options,
  });
  const server = setupServer(...bigqueryHandlers(fake));
  server.listen({ onUnhandledFrame: "bypass" });
  return {
    fake,
    keys: { reader, noJobs },
    close() {
      server.close();
      fake.close();
    },
  };
}
