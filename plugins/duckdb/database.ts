import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { ConfigurationError, type SourceContext } from "syncline/sdk";
import type { DuckDBConfig } from "./config.ts";

/**
 * Opens a connection for one use. A file database is opened per use and closed after, so
 * the file is not held locked between runs (people edit it with the duckdb CLI); an
 * in-memory database lives as long as the source instance.
 */
export async function withConnection<T>(
  ctx: SourceContext<DuckDBConfig>,
  use: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const { connection, release } = await openConnection(ctx);
  try {
    return await use(connection);
  } finally {
    release();
  }
}

export async function openConnection(
  ctx: SourceContext<DuckDBConfig>,
  access: { writable?: boolean } = {},
): Promise<{ connection: DuckDBConnection; release: () => void }> {
  const instance = await openInstance(ctx, access.writable === true);
  const connection = await instance.connect();
  return {
    connection,
    release() {
      connection.closeSync();
      if (!isMemory(ctx.config)) instance.closeSync();
    },
  };
}

function isMemory(config: DuckDBConfig): boolean {
  return !config.path || config.path === ":memory:";
}

async function openInstance(ctx: SourceContext<DuckDBConfig>, writable: boolean): Promise<DuckDBInstance> {
  const { config } = ctx;
  if (isMemory(config)) {
    const cached = ctx.state.get("instance") as DuckDBInstance | undefined;
    if (cached) return cached;
    const instance = await DuckDBInstance.create(":memory:", options(ctx, false));
    if (config.seed) await seed(instance, resolve(ctx.baseDir, config.seed));
    ctx.state.set("instance", instance);
    return instance;
  }
  const path = resolve(ctx.baseDir, config.path!);
  if (!existsSync(path)) {
    if (!config.seed) {
      throw new ConfigurationError(`DuckDB database ${path} does not exist`, {
        code: "database_missing",
        fix: "create it, correct `path`, or give a `seed` SQL file to create it on first use",
      });
    }
    // Seed into a temporary file and rename it into place, so a failed seed leaves nothing half made.
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.seeding-${process.pid}`;
    rmSync(temporary, { force: true });
    const created = await DuckDBInstance.create(temporary, options(ctx, false));
    try {
      await seed(created, resolve(ctx.baseDir, config.seed));
      const connection = await created.connect();
      await connection.run("CHECKPOINT");
      connection.closeSync();
    } catch (error) {
      created.closeSync();
      rmSync(temporary, { force: true });
      rmSync(`${temporary}.wal`, { force: true });
      throw error;
    }
    created.closeSync();
    renameSync(temporary, path);
  }
  try {
    return await DuckDBInstance.create(path, options(ctx, writable ? false : (config.readOnly ?? true)));
  } catch (error) {
    throw new ConfigurationError(`cannot open DuckDB database ${path}: ${(error as Error).message}`, {
      code: "database_open",
      fix: "check the path and that no other process holds the file open for writing",
      cause: error,
    });
  }
}

function options(ctx: SourceContext<DuckDBConfig>, readOnly: boolean): Record<string, string> {
  const { config } = ctx;
  // DuckDB's allocator keeps what a query freed until the instance closes, unless its
  // background threads return it (measured: 130 MB held after a 10M-row sort, 12 MB with these).
  const out: Record<string, string> = { allocator_background_threads: "true", allocator_flush_threshold: "8MB" };
  if (readOnly) out.access_mode = "READ_ONLY";
  if (config.threads) out.threads = String(config.threads);
  if (config.memoryLimit) out.memory_limit = config.memoryLimit;
  if (config.tempDirectory) out.temp_directory = resolve(ctx.baseDir, config.tempDirectory);
  return out;
}

async function seed(instance: DuckDBInstance, file: string): Promise<void> {
  let sql: string;
  try {
    sql = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigurationError(`cannot read DuckDB seed file ${file}`, { fix: "correct `seed`", cause: error });
  }
  const connection = await instance.connect();
  try {
    await connection.run(sql);
  } finally {
    connection.closeSync();
  }
}
