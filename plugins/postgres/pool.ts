import type { ConnectionOptions } from "node:tls";
import pg from "pg";
import { type SourceContext, TransientError } from "syncline/sdk";
import { closePooled, pemFields, pooled, serverFields } from "../sql-table/pool.ts";
import type { PostgresConfig } from "./config.ts";
import { classifyPgError } from "./errors.ts";

/** A source or destination context: both keep the pool in their instance state. */
type Ctx = Pick<SourceContext<PostgresConfig>, "config" | "state" | "logger" | "baseDir">;

/** The source instance's pool, created on first use and kept in `ctx.state`. */
export function poolFor(ctx: Ctx): pg.Pool {
  return pooled(ctx.state, () => {
    const pool = new pg.Pool(clientConfig(ctx.config, ctx.baseDir));
    // An idle client losing its connection must not crash the process; the next use reconnects.
    pool.on("error", (error) =>
      ctx.logger.warn({ code: (error as { code?: string }).code }, "idle Postgres connection lost"),
    );
    return pool;
  });
}

export async function closePool(ctx: Ctx): Promise<void> {
  await closePooled(ctx.state);
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

/** The server process behind a checked-out client, which pg_cancel_backend names (pg leaves it untyped). */
export function backendPid(client: pg.PoolClient): number | null {
  return (client as unknown as { processID: number | null }).processID;
}

/**
 * Cancels the statement server process `pid` is running, over another pooled connection (the
 * client running it is busy). A failure is only logged: `what` names the statement.
 */
export async function cancelBackend(ctx: Ctx, pid: number | null, what: string): Promise<void> {
  if (pid === null) return;
  try {
    await poolFor(ctx).query("SELECT pg_cancel_backend($1)", [pid]);
  } catch (error) {
    ctx.logger.warn({ code: (error as { code?: string }).code }, `could not cancel the Postgres ${what}`);
  }
}

/** pg options from ours; relative PEM paths resolve against the config file's directory. */
export function clientConfig(config: PostgresConfig, baseDir: string): pg.PoolConfig {
  return {
    ...(config.url ? { connectionString: config.url } : {}),
    ...serverFields(config),
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
    ...pemFields(ssl, baseDir),
  };
}
