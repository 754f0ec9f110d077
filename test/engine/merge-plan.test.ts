import type { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import duckdb from "../../plugins/duckdb/index.ts";
import { type PlanOptions, plan } from "../../src/engine/delta/planner.ts";
import { materialize } from "../../src/engine/delta/record.ts";
import { emptyCounts } from "../../src/engine/shared/counts.ts";
import type { Mode } from "../../src/engine/shared/sync-spec.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import type { SourceContext } from "../../src/sdk/source.ts";
import type { CanonicalRow } from "../../src/sdk/values.ts";
import { openState } from "../../src/state/database.ts";
import { type SnapshotSeed, seedSnapshots, stagedRows } from "../../src/state/inspect/index.ts";
import { StagingArea } from "../../src/state/staging-area.ts";
import { seeded } from "../support/random.ts";
import { syncSpec } from "../support/sync-spec.ts";

const source = { config: {}, logger: silentLogger, state: new Map<string, unknown>(), baseDir: "." };
const ctx = (): SourceContext<unknown> => ({ ...source, signal: new AbortController().signal });
afterAll(() => (source.state.get("instance") as DuckDBInstance | undefined)?.closeSync());

async function duck(sql: string): Promise<void> {
  for await (const _ of duckdb.read(ctx() as never, { kind: "sql", sql: "SELECT 1 AS x" }, { columns: ["x"] }));
  const connection = await (source.state.get("instance") as DuckDBInstance).connect();
  await connection.run(sql);
  connection.closeSync();
}

/** Every staged row that would be sent or reported (hash and remote id matter only if sent). */
function staged(staging: StagingArea) {
  return stagedRows(staging)
    .filter((row) => row.change !== "unchanged")
    .map(({ key, change, fields, key_values, dup, hash, remote_id }) => {
      const sent = change !== "invalid";
      return { key, change, fields, key_values, dup, hash: sent ? hash : null, remote_id: sent ? remote_id : null };
    });
}

let mergedRuns = 0;
afterAll(() => expect(mergedRuns).toBeGreaterThan(12));

const KEYS = ["a", "b", "é", "a\uE000", "a\u{1F600}", "zz", "10", "9", "", "Z"];

describe("the ordered merge computes exactly the lookup path's delta", () => {
  for (let seed = 1; seed <= 24; seed++) {
    const random = seeded(seed);
    const mode: Mode = (["upsert", "insert", "mirror"] as const)[seed % 3]!;
    const composite = seed % 4 === 0;
    const textKeys = seed % 2 === 0;
    it(`seed ${seed}: ${mode}, ${composite ? "composite" : textKeys ? "text" : "integer"} keys`, async () => {
      const n = 40;
      const key = (i: number) => (textKeys ? (random() < 0.3 ? KEYS[i % KEYS.length]! : `k${i}`) : String(i));
      const rows = Array.from({ length: n }, (_, _i) => ({
        k: random() < 0.05 ? null : key(Math.floor(random() * n * 1.2)),
        g: composite ? (random() < 0.5 ? "x" : "y") : null,
        v: Math.floor(random() * 3),
        t: random() < 0.2 ? null : `t${Math.floor(random() * 2)}`,
      }));
      const keyType = textKeys ? "VARCHAR" : "INTEGER";
      const values = rows.map(
        (r) =>
          `(${r.k === null ? "NULL" : textKeys ? `'${r.k}'` : r.k}, ${r.g === null ? "NULL" : `'${r.g}'`}, ${r.v}, ${r.t === null ? "NULL" : `'${r.t}'`})`,
      );
      await duck(
        `CREATE OR REPLACE TABLE m (k ${keyType}, g VARCHAR, v INTEGER, t VARCHAR); INSERT INTO m VALUES ${values.join(", ")}`,
      );
      const spec = syncSpec({
        name: "s",
        model: { kind: "table", relation: { name: "m" } },
        primaryKey: composite ? ["g", "k"] : ["k"],
        object: "o",
        mode,
        mapping: [
          ["t", "t"],
          ["v", "v"],
        ],
      });
      const state = openState(":memory:");
      const db = state.sqlite;
      const planted: SnapshotSeed[] = [];
      const insert = (key: string, hash: string, remoteId: string | null) =>
        planted.push({ sync: "s", key, hash, remote_id: remoteId });
      for (const row of rows) {
        if (row.k === null || random() < 0.3) continue;
        const canonical: CanonicalRow = { k: textKeys ? row.k : Number(row.k), g: row.g, v: row.v, t: row.t };
        const k = composite ? JSON.stringify([row.g, canonical.k]) : String(row.k);
        const choice = random();
        const hash = choice < 0.5 ? materialize(canonical, spec).hash : choice < 0.7 ? "" : "stale-hash-0000000000";
        insert(k, hash, random() < 0.5 ? `r-${k}` : null);
      }
      for (let i = 0; i < 5; i++) insert(composite ? JSON.stringify(["x", `gone${i}`]) : `gone${i}`, "h", null);
      seedSnapshots(db, planted, { keepExisting: true });

      let fallbacks = 0;
      const logger = { ...silentLogger, warn: () => void fallbacks++ };
      const results = [];
      for (const ordered of [true, false]) {
        const staging = new StagingArea(db, `t${ordered}`);
        const counts = emptyCounts();
        const options: PlanOptions = ordered
          ? { ordered: (request) => duckdb.readOrdered!(ctx() as never, spec.model, request), logger }
          : {};
        const rowsIterable = duckdb.read(ctx() as never, spec.model, { columns: ["k", "g", "v", "t"] });
        const result = await plan(db, staging, spec, rowsIterable, counts, options);
        results.push({ counts, staged: staged(staging), invalid: result.invalidSamples.map((s) => s.key).sort() });
        staging.drop();
      }
      expect(results[0]).toEqual(results[1]);
      // Only keys that sort differently as UTF-16 and as UTF-8 (U+E000 against an emoji) fall back.
      const both = rows.some((r) => r.k === "a\uE000") && rows.some((r) => r.k === "a\u{1F600}");
      expect(fallbacks).toBe(both && !composite ? 1 : fallbacks);
      if (!textKeys) expect(fallbacks).toBe(0);
      mergedRuns += fallbacks === 0 ? 1 : 0;
      state.close();
    });
  }
});
