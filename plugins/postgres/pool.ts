import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ConnectionOptions } from "node:tls";
import pg from "pg";
import { ConfigurationError, type SourceContext, TransientError } from "syncline/sdk";
import type { PostgresConfig } from "./config.ts";
import { classifyPgError } from "./errors.ts";

/** A source or destination context: both keep the pool in their instance state. */
type Ctx = Pick<SourceContext<PostgresConfig>, "config" | "state" | "logger" | "baseDir">;

/** The source instance's pool, created on first use and kept in `ctx.state`. */
export function poolFor(ctx: Ctx): pg.Pool {
  const existing = ctx.state.get("pool") as pg.Pool | undefined;
  if (existing) return existing;
  const pool = new pg.Pool(clientConfig(ctx.config, ctx.baseDir));
  // An idle client losing its connection must not crash the process; the next use reconnects.
  pool.on("error", (error) =>
    ctx.logger.warn({ code: (error as { code?: string }).code }, "idle Postgres connection lost"),
  );
  ctx.state.set("pool", pool);
  return pool;
}

export async function closePool(ctx: Ctx): Promise<void> {
  const pool = ctx.state.get("pool") as pg.Pool | undefined;
  ctx.state.delete("pool");
  await pool?.end();
}

/** Checks out a client with the session settings every query relies on. */
export async function connect(ctx: Ctx): Promise<pg.PoolClient> {
  const pool = poolFor(ctx);
  let client: pg.PoolClient;
  const started = Date.now();
  try {
    client = await pool.connect();
  } catch (error) {
    // pg reports a connect timeout without a code; we know it by the time it took.
    const code = (error as { code?: unknown }).code;
    if (code === undefined && Date.now() - started >= ctx.config.connectTimeoutMs - 100) {
      throw new TransientError(`connecting to Postgres timed out after ${ctx.config.connectTimeoutMs} ms`, {
        code: "connect_timeout",
        fix: "check `host`/`port` and the network path (firewall, VPN, allow-listed IPs)",
        cause: error,
      });
    }
    throw classifyPgError(error, "connecting to Postgres");
  }
  try {
    await client.query(`SET statement_timeout = ${Math.floor(ctx.config.queryTimeoutMs)}`);
  } catch (error) {
    client.release(error as Error);
    throw classifyPgError(error, "preparing the Postgres session");
  }
  return client;
}

/** pg options from ours; relative PEM paths resolve against the config file's directory. */
export function clientConfig(config: PostgresConfig, baseDir: string): pg.PoolConfig {
  return {
    ...(config.url ? { connectionString: config.url } : {}),
    ...(config.host !== undefined ? { host: config.host } : {}),
    ...(config.port !== undefined ? { port: config.port } : {}),
    ...(config.user !== undefined ? { user: config.user } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(config.database !== undefined ? { database: config.database } : {}),
    ...(config.ssl ? { ssl: tlsOptions(config.ssl, baseDir) } : {}),
    connectionTimeoutMillis: config.connectTimeoutMs,
    max: config.maxConnections,
    idleTimeoutMillis: 30_000,
    application_name: config.applicationName,
  };
}

function tlsOptions(ssl: NonNullable<PostgresConfig["ssl"]>, baseDir: string): ConnectionOptions | false {
  if (ssl.mode === "disable") return false;
  const verify = ssl.rejectUnauthorized ?? (ssl.mode === "verify-ca" || ssl.mode === "verify-full");
  return {
    rejectUnauthorized: verify,
    ...(ssl.mode === "verify-ca" ? { checkServerIdentity: () => undefined } : {}),
    ...(ssl.ca ? { ca: pem(ssl.ca, "ssl.ca", baseDir) } : {}),
    ...(ssl.cert ? { cert: pem(ssl.cert, "ssl.cert", baseDir) } : {}),
    ...(ssl.key ? { key: pem(ssl.key, "ssl.key", baseDir) } : {}),
  };
}

/** PEM text as given, or the contents of the file it names. */
function pem(value: string, path: string, baseDir: string): string {
  if (value.includes("-----BEGIN")) return value;
  try {
    return readFileSync(resolve(baseDir, value), "utf8");
  } catch (error) {
    throw new ConfigurationError(`cannot read the PEM file given as \`${path}\``, {
      path,
      fix: "give PEM text or the path of a readable PEM file",
      cause: error,
    });
  }
}
