import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { silentLogger } from "syncline/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckDBConfig } from "./config.ts";
import { closeMemoryInstance, openConnection } from "./database.ts";
import { memoryLimit } from "./sizing.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-sizing-test-"));
const path = join(dir, "w.duckdb");
const context = (config: DuckDBConfig) => ({
  config,
  logger: silentLogger,
  signal: new AbortController().signal,
  state: new Map<string, unknown>(),
  baseDir: dir,
});

beforeAll(async () => {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run("CREATE TABLE t AS SELECT 1 AS id");
  connection.closeSync();
  instance.closeSync();
});

/** DuckDB's settings as the source's own connection sees them. */
async function settings(config: DuckDBConfig, ctx = context(config)) {
  const { connection, release } = await openConnection(ctx);
  try {
    const reader = await connection.runAndReadAll(
      "SELECT current_setting('memory_limit'), current_setting('temp_directory')",
    );
    const [limit, temp] = reader.getRows()[0] as [string, string];
    return { limit, temp };
  } finally {
    release();
  }
}

/** How DuckDB shows a limit set by hand (DuckDB's own default without one). */
async function shown(limit?: string): Promise<string> {
  const instance = await DuckDBInstance.create(":memory:", limit ? { memory_limit: limit } : {});
  const connection = await instance.connect();
  const value = (await connection.runAndReadAll("SELECT current_setting('memory_limit')")).getRows()[0]![0];
  connection.closeSync();
  instance.closeSync();
  return String(value);
}

describe("DuckDB's memory limit and temp directory", () => {
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith(`syncline-duckdb-${process.pid}-`))).toEqual([]);
  });

  it("gives DuckDB Syncline's budget, not 80% of the machine's memory, when no memoryLimit is set", async () => {
    expect((await settings({ path, threads: 1 })).limit).toBe(await shown("64MB"));
    expect((await settings({ path, threads: 2 })).limit).toBe(await shown("64MB"));
    expect((await settings({ path, threads: 4 })).limit).toBe(await shown("128MB"));
    expect((await settings({ path })).limit).toBe(await shown(memoryLimit({ path })));
    expect((await settings({ path })).limit).not.toBe(await shown());
  });

  it("lets an explicit memoryLimit and tempDirectory win", async () => {
    const set = await settings({ path, threads: 4, memoryLimit: "300MB", tempDirectory: "spill" });
    expect(set.limit).toBe(await shown("300MB"));
    expect(set.temp).toBe(join(dir, "spill"));
  });

  it("spills to a directory of its own in the system's temp directory, gone when the database closes", async () => {
    const ctx = context({ threads: 1 });
    const { connection, release } = await openConnection(ctx);
    const temp = String((await connection.runAndReadAll("SELECT current_setting('temp_directory')")).getRows()[0]![0]);
    expect(temp.startsWith(join(tmpdir(), `syncline-duckdb-${process.pid}-`))).toBe(true);
    // An in-memory table larger than the limit: DuckDB moves blocks of it to its temp directory.
    await connection.run("CREATE TABLE big AS SELECT i, repeat('x', 100) || i AS v FROM range(1000000) r(i)");
    expect(existsSync(temp)).toBe(true);
    release();
    closeMemoryInstance(ctx);
    expect(existsSync(temp)).toBe(false);
  });

  it("removes the temp directories a killed process left behind", async () => {
    const left = join(tmpdir(), "syncline-duckdb-999999999-dead");
    mkdirSync(left, { recursive: true });
    await settings({ path });
    expect(existsSync(left)).toBe(false);
  });

  it("gives each open file database its own temp directory", async () => {
    const ctx = context({ path });
    const first = await openConnection(ctx);
    const second = await openConnection(ctx);
    const temp = async (c: typeof first) =>
      String((await c.connection.runAndReadAll("SELECT current_setting('temp_directory')")).getRows()[0]![0]);
    expect(await temp(first)).not.toBe(await temp(second));
    first.release();
    second.release();
  });
});
