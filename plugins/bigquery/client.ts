import { resolve } from "node:path";
import { BigQuery } from "@google-cloud/bigquery";
import { ConfigurationError, type SourceContext } from "syncline/sdk";
import type { BigQueryConfig } from "./config.ts";

type Ctx = SourceContext<BigQueryConfig>;

/** The source instance's client (it holds the token cache), created on first use. */
export function clientFor(ctx: Ctx): BigQuery {
  const existing = ctx.state.get("client") as BigQuery | undefined;
  if (existing) return existing;
  const client = new BigQuery(clientOptions(ctx.config, ctx.baseDir));
  ctx.state.set("client", client);
  return client;
}

export function clientOptions(config: BigQueryConfig, baseDir: string): ConstructorParameters<typeof BigQuery>[0] {
  if (config.credentials !== undefined && config.keyFilename !== undefined) {
    throw new ConfigurationError("give either `credentials` or `keyFilename`, not both", {
      code: "bigquery_auth",
      path: "credentials",
      fix: "keep one; with neither, Application Default Credentials are used",
    });
  }
  return {
    projectId: config.projectId,
    ...(config.location ? { location: config.location } : {}),
    ...(config.credentials !== undefined ? { credentials: serviceAccount(config.credentials) } : {}),
    ...(config.keyFilename !== undefined ? { keyFilename: resolve(baseDir, config.keyFilename) } : {}),
    ...(config.apiEndpoint ? { apiEndpoint: config.apiEndpoint } : {}),
    userAgent: "syncline",
  };
}

/** The service-account key JSON given inline; only its email and private key are used. */
function serviceAccount(json: string): { client_email: string; private_key: string } {
  let key: { client_email?: unknown; private_key?: unknown; type?: unknown };
  try {
    key = JSON.parse(json) as typeof key;
  } catch {
    throw new ConfigurationError("`credentials` is not JSON", {
      code: "bigquery_credentials",
      path: "credentials",
      fix: "give the service-account key file's JSON (for example credentials: ${GCP_SA_KEY})",
    });
  }
  if (typeof key.client_email !== "string" || typeof key.private_key !== "string") {
    throw new ConfigurationError(
      "`credentials` is not a service-account key (client_email and private_key are missing)",
      {
        code: "bigquery_credentials",
        path: "credentials",
        fix: "create a JSON key for the service account (IAM → Service accounts → Keys) and give its content",
      },
    );
  }
  return { client_email: key.client_email, private_key: key.private_key };
}
