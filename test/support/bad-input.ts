import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

/** The bad-input suites' folder: its warehouse, plugin and configs (one per test file's worker). */
export const dir = mkdtempSync(join(tmpdir(), "syncline-bad-"));

/** A config that works; each case breaks one thing in a copy of it. */
export const GOOD = {
  sources: { wh: { type: "duckdb", path: "./wh.duckdb" } },
  destinations: { out: { type: "file", path: "./out" } },
  syncs: {
    good: {
      source: "wh",
      model: { table: "people" },
      primaryKey: "id",
      destination: "out",
      object: "people",
      mapping: { email: "email" },
    },
  },
};

export type Config = Record<string, unknown>;

/** GOOD changed by `mutate`, written to a new file in `dir`; returns its path. */
export function configWith(mutate: (config: Config & typeof GOOD) => void): string {
  const config = structuredClone(GOOD) as Config & typeof GOOD;
  mutate(config);
  const file = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

export const sync = (c: Config & typeof GOOD) => c.syncs.good as Record<string, unknown>;

/** The warehouse every case reads (good rows and the bad models), and the broken plugin. */
export async function seedBadInputs(): Promise<void> {
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"));
  const connection = await instance.connect();
  await connection.run(`
    CREATE TABLE people AS SELECT i AS id, 'p' || i || '@example.com' AS email FROM range(1, 6) t(i);
    CREATE TABLE dupes AS SELECT * FROM (VALUES (1, 'a'), (1, 'b'), (2, 'c')) t(id, email);
    CREATE TABLE nulls AS SELECT * FROM (VALUES (NULL, 'a'), (2, 'c')) t(id, email);
    CREATE TABLE weird AS SELECT 1 AS id, INTERVAL 3 DAY AS email, 1::UHUGEINT AS n;
    CREATE TABLE big AS SELECT 1 AS id, repeat('x', 200000) AS email;`);
  connection.closeSync();
  instance.closeSync();
  copyFileSync(join(import.meta.dirname, "../reliability/bad-plugin.js.txt"), join(dir, "bad-plugin.js"));
}
