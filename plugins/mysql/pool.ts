import mysql from "mysql2/promise";
import type { DestinationContext } from "syncline/sdk";
import { closePooled, pemFields, pooled, serverFields } from "../sql-table/pool.ts";
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
  return pooled(ctx.state, () => mysql.createPool(poolOptions(ctx.config, ctx.baseDir)));
}

export async function closePool(ctx: Ctx): Promise<void> {
  await closePooled(ctx.state);
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
    ...serverFields(config),
    ...(config.ssl
      ? { ssl: { rejectUnauthorized: config.ssl.rejectUnauthorized, ...pemFields(config.ssl, baseDir) } }
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
