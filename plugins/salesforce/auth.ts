import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigurationError, type DestinationContext, errorForStatus } from "syncline/sdk";
import { salesforceApi } from "./api.ts";
import type { SalesforceConfig } from "./config.ts";
import { signJwt } from "./jwt.ts";

export interface Session {
  accessToken: string;
  /** Where the org's APIs live, without a trailing slash. */
  instanceUrl: string;
  /** Set once Salesforce answered a call made with it (a later 401 means it expired). */
  accepted?: boolean;
  /** Calls using it whose answer has not come yet. */
  inFlight?: number;
}

const SESSION = "salesforce.session";

/** The cached session, or a new one (concurrent callers share one token request). */
export function session(ctx: DestinationContext<SalesforceConfig>): Promise<Session> {
  const cached = ctx.state.get(SESSION) as Promise<Session> | undefined;
  if (cached) return cached;
  const pending = requestToken(ctx);
  ctx.state.set(SESSION, pending);
  pending.catch(() => {
    if (ctx.state.get(SESSION) === pending) ctx.state.delete(SESSION);
  });
  return pending;
}

/** Forgets a session Salesforce refused, unless another call already replaced it. */
export async function invalidate(ctx: DestinationContext<SalesforceConfig>, stale: Session): Promise<void> {
  const cached = ctx.state.get(SESSION) as Promise<Session> | undefined;
  if (!cached) return;
  const current = await cached.catch(() => undefined);
  if (!current || current.accessToken === stale.accessToken) ctx.state.delete(SESSION);
}

async function requestToken(ctx: DestinationContext<SalesforceConfig>): Promise<Session> {
  const { config } = ctx;
  const grant = await grantFor(ctx);
  const response = await salesforceApi.call(ctx, "POST", "services/oauth2/token", {
    body: new URLSearchParams(grant.params),
    headers: { accept: "application/json" },
  });
  const body = (typeof response.body === "object" && response.body !== null ? response.body : {}) as Record<
    string,
    unknown
  >;
  if (response.ok && typeof body.access_token === "string") {
    const instanceUrl =
      config.instanceUrl ?? (typeof body.instance_url === "string" ? body.instance_url : config.baseUrl);
    ctx.logger.debug({ flow: grant.flow }, "salesforce: new access token");
    return { accessToken: body.access_token, instanceUrl: instanceUrl.replace(/\/+$/, "") };
  }
  const detail = [body.error, body.error_description].filter((part) => typeof part === "string").join(": ");
  if (response.status === 400 || response.status === 401 || response.status === 403) {
    throw new ConfigurationError(`Salesforce refused the ${grant.flow} token request${detail ? ` (${detail})` : ""}`, {
      code: "auth_failed",
      fix: grant.fix,
    });
  }
  throw errorForStatus(response.status, response.headers, detail);
}

interface Grant {
  flow: string;
  params: Record<string, string>;
  fix: string;
}

async function grantFor(ctx: DestinationContext<SalesforceConfig>): Promise<Grant> {
  const { config } = ctx;
  if (config.username && (config.privateKey || config.privateKeyFile)) {
    const key = config.privateKey ?? (await readKey(ctx, config.privateKeyFile as string));
    const assertion = signJwt(
      {
        iss: config.clientId,
        sub: config.username,
        aud: audienceFor(config),
        exp: Math.floor(Date.now() / 1000) + 180,
      },
      key,
    );
    return {
      flow: "JWT bearer",
      params: { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion },
      fix: "check clientId, username and that the connected app holds the certificate for privateKey and is pre-authorized for the user",
    };
  }
  if (config.clientSecret) {
    return {
      flow: "client-credentials",
      params: { grant_type: "client_credentials", client_id: config.clientId, client_secret: config.clientSecret },
      fix: "check clientId and clientSecret, that the connected app enables the client-credentials flow with a run-as user, and that baseUrl is your My Domain URL",
    };
  }
  throw new ConfigurationError("Salesforce needs credentials", {
    code: "missing_credentials",
    fix: "set clientSecret (client-credentials flow), or username with privateKey or privateKeyFile (JWT bearer flow)",
  });
}

function audienceFor(config: SalesforceConfig): string {
  if (config.audience) return config.audience;
  return new URL(config.baseUrl).hostname === "test.salesforce.com"
    ? "https://test.salesforce.com"
    : "https://login.salesforce.com";
}

async function readKey(ctx: DestinationContext<SalesforceConfig>, file: string): Promise<string> {
  try {
    return await readFile(resolve(ctx.baseDir, file), "utf8");
  } catch {
    throw new ConfigurationError(`cannot read the Salesforce private key file ${file}`, {
      code: "missing_key_file",
      path: "privateKeyFile",
      fix: "point privateKeyFile at a PEM file (relative to the config file)",
    });
  }
}
