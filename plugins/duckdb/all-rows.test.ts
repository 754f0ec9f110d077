import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { type CanonicalRow, silentLogger } from "syncline/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckDBConfig } from "./config.ts";
import plugin from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-duckdb-all-rows-"));
const path = join(dir, "w.duckdb");
const context = (config: Partial<DuckDBConfig> = {}) => ({
  config: { path, readOnly: true, ...config } as DuckDBConfig,
  logger: silentLogger,
  signal: new AbortController().signal,
  state: new Map<string, unknown>(),
  baseDir: dir,
});

/** How DuckDB shows a memory limit. */
async function shown(limit: string): Promise<string> {
  const instance = await DuckDBInstance.create(":memory:", { memory_limit: limit });
  const connection = await instance.connect();
  const value = (await connection.runAndReadAll("SELECT current_setting('memory_limit')")).getRows()[0]![0];
  connection.closeSync();
  instance.closeSync();
  return String(value);
}

/** Every row of a first sync's streamed read of `sql` (after the ordered keys, as the engine reads them). */
async function streamAll(sql: string, config: Partial<DuckDBConfig> = {}): Promise<CanonicalRow[]> {
  const ctx = context(config);
  const read = await plugin.readOrdered!(
    ctx,
    { kind: "sql", sql },
    { primaryKey: ["id"], fields: [["v", "v"]], columns: ["id", "v"], allRows: true },
  );
  try {
    for await (const _ of read!.chunks) {
      // the plan's pass over the keys
    }
    const rows: CanonicalRow[] = [];
    for await (const page of read!.allRows!()) rows.push(...page);
    return rows;
  } finally {
    await read!.close();
    await plugin.close?.(ctx);
  }
}

beforeAll(async () => {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run("CREATE TABLE t AS SELECT i AS id, 'row ' || i AS v FROM range(5000) r(i)");
  connection.closeSync();
  instance.closeSync();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("DuckDB's streamed read of every row (a first sync)", () => {
  it("reads every row on one thread within one thread's budget", async () => {
    const rows = await streamAll(
      "SELECT id, current_setting('threads') || ' ' || current_setting('memory_limit') AS v FROM t",
    );
    expect(rows).toHaveLength(5000);
    expect(new Set(rows.map((r) => r.v))).toEqual(new Set([`1 ${await shown("32MB")}`]));
  });

  it("keeps a memoryLimit the user set", async () => {
    const rows = await streamAll("SELECT id, current_setting('memory_limit') AS v FROM t", { memoryLimit: "100MB" });
    expect(rows[0]!.v).toBe(await shown("100MB"));
  });

  it("reads a model that needs more than one thread's budget again with the instance's limit", async () => {
    // string_agg over 200,000 rows needs more than 32 MB at once and less than 64 MB.
    const sql = `SELECT 1 AS id, length(string_agg(repeat('x', 40) || i::VARCHAR, ',')) || ' ' ||
      current_setting('memory_limit') AS v FROM range(200000) r(i)`;
    const rows = await streamAll(sql, { threads: 2 });
    expect(rows).toHaveLength(1);
    const [length, ...limit] = String(rows[0]!.v).split(" ");
    expect(Number(length)).toBeGreaterThan(8_000_000);
    expect(limit.join(" ")).toBe(await shown("64MB"));
  });
});
