import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import snowflake from "snowflake-sdk";
import { ConfigurationError, type SourceContext } from "syncline/sdk";
import type { SnowflakeConfig } from "./config.ts";
import { classifySnowflakeError } from "./errors.ts";

type Ctx = SourceContext<SnowflakeConfig>;

// The driver's own log could echo connection details; Syncline logs what matters itself.
snowflake.configure({ logLevel: "OFF" });

/** The source instance's connection (one Snowflake session runs concurrent statements). */
export async function connectionFor(ctx: Ctx): Promise<snowflake.Connection> {
  const cached = ctx.state.get("connection") as Promise<snowflake.Connection> | undefined;
  if (cached) {
    const connection = await cached.catch(() => undefined);
    if (connection?.isUp()) return connection;
    ctx.state.delete("connection");
  }
  const opening = open(ctx);
  ctx.state.set("connection", opening);
  opening.catch(() => ctx.state.delete("connection"));
  return opening;
}

export async function closeConnection(ctx: Ctx): Promise<void> {
  const cached = ctx.state.get("connection") as Promise<snowflake.Connection> | undefined;
  ctx.state.delete("connection");
  const connection = await cached?.catch(() => undefined);
  if (!connection?.isUp()) return;
  await new Promise<void>((done) => connection.destroy(() => done()));
}

async function open(ctx: Ctx): Promise<snowflake.Connection> {
  let connection: snowflake.Connection;
  try {
    connection = snowflake.createConnection(connectionOptions(ctx.config, ctx.baseDir));
  } catch (error) {
    throw classifySnowflakeError(error, "configuring the Snowflake connection");
  }
  return new Promise((resolveConnection, reject) => {
    connection.connect((error) => {
      if (error) reject(classifySnowflakeError(error, "connecting to Snowflake"));
      else resolveConnection(connection);
    });
  });
}

export function connectionOptions(config: SnowflakeConfig, baseDir: string): snowflake.ConnectionOptions {
  const methods = [config.password, config.privateKey, config.privateKeyPath].filter((value) => value !== undefined);
  if (methods.length !== 1) {
    throw new ConfigurationError("Snowflake needs exactly one of `password`, `privateKey` or `privateKeyPath`", {
      code: "snowflake_auth",
      path: methods.length === 0 ? "password" : "privateKey",
      fix: "give a password, or a key pair's private key (PEM text or file) for key-pair authentication",
    });
  }
  const keyPair = config.password === undefined;
  return {
    account: config.account,
    username: config.username,
    ...(keyPair
      ? {
          authenticator: "SNOWFLAKE_JWT",
          privateKey: config.privateKey ?? readKey(resolve(baseDir, config.privateKeyPath!)),
          ...(config.privateKeyPassphrase ? { privateKeyPass: config.privateKeyPassphrase } : {}),
        }
      : { password: config.password }),
    ...(config.role ? { role: config.role } : {}),
    ...(config.warehouse ? { warehouse: config.warehouse } : {}),
    ...(config.database ? { database: config.database } : {}),
    ...(config.schema ? { schema: config.schema } : {}),
    ...(config.accessUrl ? { accessUrl: config.accessUrl } : {}),
    application: "Syncline",
    sfRetryMaxLoginRetries: config.loginRetries,
    clientSessionKeepAlive: false,
  };
}

function readKey(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigurationError(`cannot read the private key file ${path}`, {
      code: "snowflake_key_file",
      path: "privateKeyPath",
      fix: "give the path of the PEM private key file (relative paths are from the config file's folder)",
      cause: error,
    });
  }
}
