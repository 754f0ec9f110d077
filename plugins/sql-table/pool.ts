import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigurationError } from "syncline/sdk";

interface Pool {
  end(): Promise<void>;
}

/** The instance's pool, made by `create` on first use and kept in its state for every call after. */
export function pooled<P extends Pool>(state: Map<string, unknown>, create: () => P): P {
  const existing = state.get("pool") as P | undefined;
  if (existing) return existing;
  const pool = create();
  state.set("pool", pool);
  return pool;
}

/** Ends the instance's pool, if it made one; the next call makes a new one. */
export async function closePooled(state: Map<string, unknown>): Promise<void> {
  const pool = state.get("pool") as Pool | undefined;
  state.delete("pool");
  await pool?.end();
}

interface ServerFields {
  host?: string | undefined;
  port?: number | undefined;
  user?: string | undefined;
  password?: string | undefined;
  database?: string | undefined;
}

/** The server fields the config sets, and only those: an absent one leaves the driver's default (or the URL's). */
export function serverFields(config: ServerFields): ServerFields {
  return {
    ...(config.host !== undefined ? { host: config.host } : {}),
    ...(config.port !== undefined ? { port: config.port } : {}),
    ...(config.user !== undefined ? { user: config.user } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(config.database !== undefined ? { database: config.database } : {}),
  };
}

interface PemFields {
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
}

/** The TLS material the config gives, each as PEM text; relative paths resolve against `baseDir`. */
export function pemFields(ssl: PemFields, baseDir: string): { ca?: string; cert?: string; key?: string } {
  return {
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
