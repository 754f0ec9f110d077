/**
 * Part of the warehouse scenario (bench/warehouse-diff.ts): the Syncline process's peak RSS
 * when the warehouse runs elsewhere (the local Postgres, SYNCLINE_TEST_POSTGRES_URL), for
 * models of different sizes with the same delta (10,000 changed rows). With the diff in the
 * warehouse, what Syncline holds does not depend on the model's size.
 *
 * The snapshot is built in SQL from the model (the statements Syncline generates), so no
 * first run is needed; the run measured is a second run.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { syncSpec } from "../test/support/sync-spec.ts";
import type { BenchArgs } from "./lib/args.ts";
import { CLI_RUNTIME, runWorker } from "./lib/child.ts";
import { compact, round } from "./lib/stats.ts";
import { printTable } from "./lib/table.ts";

const URL = process.env.SYNCLINE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const CHANGED = 10_000;
const MAPPING = {
  account_id: "account_id",
  attributes: "attributes",
  email: "email",
  name: "name",
  score: "score",
  updated_at: "updated_at",
};

export interface RssFigures {
  rows: number;
  changed: number;
  planMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  rowsFromWarehouse: Record<string, number>;
}

export async function postgresRss(args: BenchArgs, workerScript: string): Promise<RssFigures[]> {
  const { adminQuery, postgresReachable } = await import("../plugins/postgres/test-server.ts");
  if (!(await postgresReachable())) return [];
  const postgres = (await import("../plugins/postgres/index.ts")).default;
  const { dialectFor } = await import("../src/sdk/sql/dialects.ts");
  const { tablesFor } = await import("../src/engine/delta/warehouse/names.ts");
  const { Statements } = await import("../src/engine/delta/warehouse/statements.ts");
  const { silentLogger } = await import("../src/sdk/logger.ts");
  const v = await import("valibot");
  const out: RssFigures[] = [];
  for (const rows of args.sizes) {
    process.stderr.write(`warehouse RSS (Postgres): ${rows} rows…\n`);
    const schema = `bench_wh_${rows}`;
    const dir = join(import.meta.dirname, ".work", `warehouse-pg-${rows}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_sl CASCADE; CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.customers AS SELECT i AS id, i % 50000 AS account_id,
        jsonb_build_object('plan', (ARRAY['free','pro','team'])[1 + i % 3], 'seats', i % 50) AS attributes,
        'user' || i || '@example.com' AS email, 'Person ' || i AS name, (i % 100000) / 1000.0 AS score,
        TIMESTAMPTZ '2024-01-01 00:00:00+00' + make_interval(secs => (i * 37) % 31536000) AS updated_at
      FROM generate_series(1, ${rows}) AS i`);
    const spec = syncSpec({
      name: "customers",
      model: { kind: "table", relation: { schema, name: "customers" } },
      primaryKey: ["id"],
      object: "customers",
      mode: "mirror",
      mapping: Object.entries(MAPPING).sort(([a], [b]) => (a < b ? -1 : 1)),
    });
    const config = v.parse(postgres.config, { url: URL });
    const ctx = { config, logger: silentLogger, signal: new AbortController().signal, state: new Map(), baseDir: dir };
    const types = new Map((await postgres.columns(ctx, spec.model)).map((c) => [c.name, c.type]));
    await postgres.close?.(ctx);
    const statements = new Statements(dialectFor("postgres"), spec, tablesFor("customers", `${schema}_sl`), types);
    await adminQuery(`BEGIN; ${dialectFor("postgres").sessionSetup().join("; ")};
      ${statements.createSchema()}; ${statements.createTables().join("; ")};
      INSERT INTO ${statements.snapshot} (key, hash, remote_id, k)
        SELECT ${statements.keyExpression("src")}, ${statements.hashExpression("src")}, NULL, src.id FROM ${schema}.customers src;
      COMMIT; ANALYZE ${statements.snapshot};
      UPDATE ${schema}.customers SET score = score + 1 WHERE id % ${Math.floor(rows / CHANGED)} = 0;`);
    copyFileSync(join(import.meta.dirname, "fixtures", "noop-destination.ts"), join(dir, "noop-destination.ts"));
    writeFileSync(
      join(dir, "syncline.yaml"),
      `state: ./state.db
plugins: [./noop-destination.ts]
sources:
  warehouse: { type: postgres, url: "${URL}" }
destinations:
  noop: { type: bench-noop }
syncs:
  customers:
    source: warehouse
    model: { table: ${schema}.customers }
    primaryKey: id
    destination: noop
    object: customers
    mode: mirror
    diff: { mode: warehouse, schema: ${schema}_sl }
    mapping: { ${Object.entries(MAPPING)
      .map(([field, column]) => `${field}: ${column}`)
      .join(", ")} }
`,
    );
    const run = await runWorker<{
      status: string;
      counts: { planned: Record<string, number> };
      planMs: number;
      peakRssMb: number;
      peakHeapMb: number;
      rowsFromWarehouse: Record<string, number>;
    }>(workerScript, ["worker", join(dir, "syncline.yaml")], { ...CLI_RUNTIME, timeoutMs: 60 * 60_000 });
    if (run.status !== "succeeded" || run.counts.planned.changed !== Math.floor(rows / Math.floor(rows / CHANGED))) {
      throw new Error(`Postgres warehouse run at ${rows} rows: ${run.status} ${JSON.stringify(run.counts.planned)}`);
    }
    out.push({
      rows,
      changed: run.counts.planned.changed!,
      planMs: round(run.planMs),
      peakRssMb: run.peakRssMb,
      peakHeapMb: run.peakHeapMb,
      rowsFromWarehouse: run.rowsFromWarehouse,
    });
    await adminQuery(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA ${schema}_sl CASCADE`);
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(
    "Warehouse mode on Postgres: the Syncline process's memory at different model sizes, same delta",
    ["rows", "changed", "rows out of warehouse", "plan s", "peak RSS MB", "peak JS heap MB"],
    out.map((r) => [
      compact(r.rows),
      compact(r.changed),
      Object.entries(r.rowsFromWarehouse)
        .map(([label, n]) => `${label} ${n}`)
        .join(", "),
      round(r.planMs / 1000, 2),
      r.peakRssMb,
      r.peakHeapMb,
    ]),
  );
  return out;
}
