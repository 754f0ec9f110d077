import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { ConfigurationError, type SourceContext } from "syncline/sdk";
import type { DuckDBConfig } from "./config.ts";
import { memoryLimit, spillDirectory } from "./sizing.ts";

type Spill = ReturnType<typeof spillDirectory>;

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
  const { instance, spill } = await openInstance(ctx, access.writable === true);
  const connection = await instance.connect();
  return {
    connection,
    release() {
      connection.closeSync();
      if (isMemory(ctx.config)) return;
      instance.closeSync();
      spill.remove();
    },
  };
}

/** Closes a source's in-memory database, if it opened one. */
export function closeMemoryInstance(ctx: SourceContext<DuckDBConfig>): void {
  (ctx.state.get("instance") as DuckDBInstance | undefined)?.closeSync();
  (ctx.state.get("spill") as Spill | undefined)?.remove();
  ctx.state.delete("instance");
  ctx.state.delete("spill");
}

function isMemory(config: DuckDBConfig): boolean {
  return !config.path || config.path === ":memory:";
}

async function openInstance(
  ctx: SourceContext<DuckDBConfig>,
  writable: boolean,
): Promise<{ instance: DuckDBInstance; spill: Spill }> {
  const { config } = ctx;
  if (isMemory(config)) {
    // The instance (other code reaches it under "instance") lives until close().
    const cached = ctx.state.get("instance") as DuckDBInstance | undefined;
    if (cached) return { instance: cached, spill: ctx.state.get("spill") as Spill };
    const opened = await create(ctx, ":memory:", false);
    if (config.seed) await seed(opened.instance, resolve(ctx.baseDir, config.seed));
    ctx.state.set("instance", opened.instance);
    ctx.state.set("spill", opened.spill);
    return opened;
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
    const created = await create(ctx, temporary, false);
    try {
      await seed(created.instance, resolve(ctx.baseDir, config.seed));
      const connection = await created.instance.connect();
      await connection.run("CHECKPOINT");
      connection.closeSync();
    } catch (error) {
      created.instance.closeSync();
      created.spill.remove();
      rmSync(temporary, { force: true });
      rmSync(`${temporary}.wal`, { force: true });
      throw error;
    }
    created.instance.closeSync();
    created.spill.remove();
    renameSync(temporary, path);
  }
  try {
    return await create(ctx, path, writable ? false : (config.readOnly ?? true));
  } catch (error) {
    throw new ConfigurationError(`cannot open DuckDB database ${path}: ${(error as Error).message}`, {
      code: "database_open",
      fix: "check the path and that no other process holds the file open for writing",
      cause: error,
    });
  }
}

/** A DuckDB instance sized by Syncline (sizing.ts), with the directory it spills to. */
async function create(
  ctx: SourceContext<DuckDBConfig>,
  path: string,
  readOnly: boolean,
): Promise<{ instance: DuckDBInstance; spill: Spill }> {
  const { config } = ctx;
  const spill = spillDirectory(ctx);
  // DuckDB's allocator keeps what a query freed until the instance closes, unless its
  // background threads return it (measured: 130 MB held after a 10M-row sort, 12 MB with these).
  const options: Record<string, string> = {
    allocator_background_threads: "true",
    allocator_flush_threshold: "8MB",
    memory_limit: memoryLimit(config),
    temp_directory: spill.path,
  };
  if (readOnly) options.access_mode = "READ_ONLY";
  if (config.threads) options.threads = String(config.threads);
  try {
    // The driver (its native library and its modules) loads at the first connection, not with
    // the plugin: a service, or a command that opens no connection, never pays for it.
    const { DuckDBInstance } = await import("@duckdb/node-api");
    return { instance: await DuckDBInstance.create(path, options), spill };
  } catch (error) {
    spill.remove();
    throw error;
  }
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
