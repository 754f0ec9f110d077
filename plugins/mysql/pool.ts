import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import mysql from "mysql2/promise";
import { ConfigurationError, type DestinationContext } from "syncline/sdk";
import type { MysqlConfig } from "./config.ts";
import { mysqlError } from "./errors.ts";

type Ctx = Pick<DestinationContext<MysqlConfig>, "config" | "state" | "logger" | "baseDir">;

/**
 * Every session refuses what does not fit rather than truncating it with a warning
 * (STRICT_ALL_TABLES), and reads and writes times in UTC.
 */
const SESSION = "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'";
const prepared = new WeakSet<object>();

export function poolFor(ctx: Ctx): mysql.Pool {
  const existing = ctx.state.get("pool") as mysql.Pool | undefined;
  if (existing) return existing;
  const pool = mysql.createPool(poolOptions(ctx.config, ctx.baseDir));
  ctx.state.set("pool", pool);
  return pool;
}

export async function closePool(ctx: Ctx): Promise<void> {
  const pool = ctx.state.get("pool") as mysql.Pool | undefined;
  ctx.state.delete("pool");
  await pool?.end();
}

/** A pooled connection with the session settings every write relies on. */
export async function connect(ctx: Ctx): Promise<mysql.PoolConnection> {
  let connection: mysql.PoolConnection;
  try {
    connection = await poolFor(ctx).getConnection();
  } catch (error) {
    throw mysqlError(error, "connecting to MySQL");
  }
  if (!prepared.has(connection.connection)) {
    try {
      await connection.query(SESSION);
    } catch (error) {
      connection.destroy();
      throw mysqlError(error, "preparing the MySQL session");
    }
    prepared.add(connection.connection);
  }
  return connection;
}

export function poolOptions(config: MysqlConfig, baseDir: string): mysql.PoolOptions {
  return {
    ...(config.url ? { uri: config.url } : {}),
    ...(config.host !== undefined ? { host: config.host } : {}),
    ...(config.port !== undefined ? { port: config.port } : {}),
    ...(config.user !== undefined ? { user: config.user } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(config.database !== undefined ? { database: config.database } : {}),
    ...(config.ssl
      ? {
          ssl: {
            rejectUnauthorized: config.ssl.rejectUnauthorized,
            ...(config.ssl.ca ? { ca: pem(config.ssl.ca, "ssl.ca", baseDir) } : {}),
            ...(config.ssl.cert ? { cert: pem(config.ssl.cert, "ssl.cert", baseDir) } : {}),
            ...(config.ssl.key ? { key: pem(config.ssl.key, "ssl.key", baseDir) } : {}),
          },
        }
      : {}),
    connectTimeout: config.connectTimeoutMs,
    connectionLimit: config.maxConnections,
    maxIdle: config.maxConnections,
    idleTimeout: 30_000,
    timezone: "Z",
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
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
