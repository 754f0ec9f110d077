/**
 * Scenario: warehouse mode (`diff: warehouse`) on the delta scenario's DuckDB model. The
 * snapshot lives in the DuckDB file, the diff is SQL, and only the delta is streamed into
 * Syncline. Measured against a hand-written SQL diff in the same DuckDB (bench/delta/baseline.ts:
 * md5 of the mapped columns, full outer join with a snapshot on the native key) with the same
 * memory limit, its delta rows read by the client (and, for reference, kept in DuckDB only).
 *
 * Targets: second-run plan ≤ 1.3 × the hand-written diff at 10M rows with 1% changed; peak RSS
 * of the Syncline process independent of the model's size; rows leaving the warehouse = delta.
 *
 * As a scenario: `warehouseScenario(args)` (bench/run.ts, --only=warehouse), which also runs
 * bench/warehouse-rss.ts (the same on Postgres, for the process's memory). The same file is
 * the worker that runs one sync in its own process: node bench/warehouse-diff.ts worker <config>.
 * SYNCLINE_BENCH_KEEP=1 keeps bench/.work/warehouse-<rows> for profiling.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { changeSql, checkPlanned, createSql, expectedDelta, mappingYaml, runSql, SNAPSHOT_SQL } from "./delta/data.ts";
import type { BenchArgs } from "./lib/args.ts";
import { CLI_RUNTIME, peakRssMb, report, runWorker } from "./lib/child.ts";
import { compact, median, round } from "./lib/stats.ts";
import { printTable } from "./lib/table.ts";
import { postgresRss, type RssFigures } from "./warehouse-rss.ts";

const HERE = import.meta.dirname;
const WORK = join(HERE, ".work");
/** DuckDB's memory limit for both Syncline and the baseline: past it DuckDB spills to disk. */
const MEMORY_LIMIT = "1GB";

interface RunReport {
  status: string;
  error: unknown;
  counts: { rowsRead: number; planned: Record<string, number>; unchanged: number };
  planMs: number;
  runMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  rowsFromWarehouse: Record<string, number>;
}

export interface WarehouseFigures {
  rows: number;
  delta: Record<string, number>;
  first: { planMs: number; runMs: number; peakRssMb: number };
  second: {
    runs: number;
    planMs: number;
    runMs: number;
    peakRssMb: number;
    /** Peak JavaScript heap: Syncline's own memory, without the embedded DuckDB's. */
    peakHeapMb: number;
    rowsFromWarehouse: Record<string, number>;
  };
  /** The hand-written diff with its delta read by the client, and kept in DuckDB only. */
  baseline: { runs: number; ms: number; materialisedMs: number };
  /** Second-run plan time ÷ the hand-written SQL diff read by the client (target ≤ 1.3 at 10M rows). */
  planVsBaseline: number;
  /** Second-run plan time ÷ the hand-written diff kept in DuckDB (the delta scenario's baseline). */
  planVsMaterialised: number;
  /** Delta rows streamed out of the warehouse ÷ the delta's size (target: exactly 1). */
  wireVsDelta: number;
}

function writeConfig(dir: string): string {
  copyFileSync(join(HERE, "fixtures", "noop-destination.ts"), join(dir, "noop-destination.ts"));
  const mapping = mappingYaml();
  const path = join(dir, "syncline.yaml");
  writeFileSync(
    path,
    `state: ./state.db
plugins: [./noop-destination.ts]
sources:
  warehouse: { type: duckdb, path: ./warehouse.duckdb, readOnly: false, memoryLimit: ${MEMORY_LIMIT} }
destinations:
  noop: { type: bench-noop }
syncs:
  customers:
    source: warehouse
    model: { table: customers }
    primaryKey: id
    destination: noop
    object: customers
    mode: mirror
    diff: warehouse
    mapping:
${mapping}
`,
  );
  return path;
}

async function syncRun(config: string, label: string): Promise<RunReport> {
  // The worker runs with the V8 flags and environment the `syncline` command runs with.
  const report = await runWorker<RunReport>(import.meta.filename, ["worker", config], {
    ...CLI_RUNTIME,
    timeoutMs: 60 * 60_000,
  });
  if (report.status !== "succeeded") throw new Error(`${label}: run ${report.status}: ${JSON.stringify(report.error)}`);
  return report;
}

/** The snapshot table after the first run, kept aside so every second run starts from it. */
const SAVE = `CREATE OR REPLACE TABLE syncline.bench_saved AS SELECT * FROM syncline.snap_customers_SUFFIX`;
const RESTORE = `CREATE OR REPLACE TABLE syncline.snap_customers_SUFFIX AS SELECT * FROM syncline.bench_saved`;

export async function warehouseAtSize(rows: number, args: BenchArgs): Promise<WarehouseFigures> {
  const { tablesFor } = await import("../src/engine/delta/warehouse/names.ts");
  const suffix = tablesFor("customers", "syncline").snapshot.name.replace("snap_customers_", "");
  const dir = join(WORK, `warehouse-${rows}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const config = writeConfig(dir);
  const warehouse = join(dir, "warehouse.duckdb");
  await runSql(warehouse, `${createSql(rows)}; ${SNAPSHOT_SQL}`);

  const first = await syncRun(config, `first-${rows}`);
  await runSql(warehouse, `${SAVE.replace("SUFFIX", suffix)}; ${changeSql(rows)}`);
  const expected = expectedDelta(rows);
  const size = expected.added + expected.changed + expected.removed;

  // Second runs and the hand-written diff alternate, so both see the same machine load.
  const second: RunReport[] = [];
  const baselines: number[] = [];
  const materialised: number[] = [];
  for (let i = 0; i < args.repeat; i++) {
    if (i > 0) await runSql(warehouse, RESTORE.replace("SUFFIX", suffix));
    const run = await syncRun(config, `second-${rows}-${i}`);
    checkPlanned(run.counts.planned, expected, `warehouse second run at ${rows} rows`);
    second.push(run);
    baselines.push((await runWorker<{ ms: number }>(import.meta.filename, ["baseline-read", warehouse])).ms);
    materialised.push((await runWorker<{ ms: number }>(import.meta.filename, ["baseline", warehouse])).ms);
  }
  const planMs = median(second.map((r) => r.planMs));
  const baselineMs = median(baselines);
  const rowsFromWarehouse = second.at(-1)!.rowsFromWarehouse;
  if (!process.env.SYNCLINE_BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  return {
    rows,
    delta: expected,
    first: { planMs: round(first.planMs), runMs: round(first.runMs), peakRssMb: first.peakRssMb },
    second: {
      runs: second.length,
      planMs: round(planMs),
      runMs: round(median(second.map((r) => r.runMs))),
      peakRssMb: Math.max(...second.map((r) => r.peakRssMb)),
      peakHeapMb: Math.max(...second.map((r) => r.peakHeapMb)),
      rowsFromWarehouse,
    },
    baseline: { runs: baselines.length, ms: round(baselineMs), materialisedMs: round(median(materialised)) },
    planVsBaseline: round(planMs / baselineMs, 2),
    planVsMaterialised: round(planMs / median(materialised), 2),
    wireVsDelta: round((rowsFromWarehouse.delta ?? 0) / size, 4),
  };
}

export async function warehouseScenario(
  args: BenchArgs,
): Promise<{ duckdb: WarehouseFigures[]; postgresRss: RssFigures[] }> {
  const results: WarehouseFigures[] = [];
  for (const rows of args.sizes) {
    process.stderr.write(`warehouse: ${rows} rows…\n`);
    results.push(await warehouseAtSize(rows, args));
  }
  printTable(
    `Warehouse mode (diff: warehouse, DuckDB model with memory_limit ${MEMORY_LIMIT}, 1% changed; medians)`,
    [
      "rows",
      "delta",
      "rows out of warehouse",
      "plan s",
      "SQL diff, rows read s",
      "plan ÷ SQL diff",
      "SQL diff, kept in DuckDB s",
      "plan ÷ kept",
      "run s",
      "peak RSS MB",
      "peak JS heap MB",
      "first run s",
      "first-run RSS MB",
    ],
    results.map((r) => [
      compact(r.rows),
      compact(r.delta.added! + r.delta.changed! + r.delta.removed!),
      Object.entries(r.second.rowsFromWarehouse)
        .map(([label, n]) => `${label} ${n}`)
        .join(", "),
      round(r.second.planMs / 1000, 2),
      round(r.baseline.ms / 1000, 2),
      r.planVsBaseline,
      round(r.baseline.materialisedMs / 1000, 2),
      r.planVsMaterialised,
      round(r.second.runMs / 1000, 2),
      r.second.peakRssMb,
      r.second.peakHeapMb,
      round(r.first.runMs / 1000, 1),
      r.first.peakRssMb,
    ]),
  );
  return { duckdb: results, postgresRss: await postgresRss(args, import.meta.filename) };
}

/** One `syncline run` in warehouse mode, like the CLI; reports timings, counts, RSS and rows out of the warehouse. */
async function worker(config: string): Promise<void> {
  const { openSyncline } = await import("../src/host/open.ts");
  const { silentLogger } = await import("../src/sdk/logger.ts");
  let rowsFromWarehouse: Record<string, number> = {};
  const logger = {
    ...silentLogger,
    info(obj: object | string) {
      if (typeof obj === "object" && "rowsFromWarehouse" in obj) {
        rowsFromWarehouse = obj.rowsFromWarehouse as Record<string, number>;
      }
    },
    child: () => logger,
  };
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 10);
  const app = await openSyncline(config, { logger });
  const opened = performance.now();
  let planned: number | undefined;
  app.engine.on("progress", ({ phase }) => {
    if (phase === "sending" && planned === undefined) planned = performance.now();
  });
  const run = await app.engine.runNow("customers");
  const finished = performance.now();
  await app.close();
  clearInterval(sampler);
  report({
    status: run.status,
    error: run.error,
    counts: run.counts,
    planMs: (planned ?? finished) - opened,
    runMs: finished - opened,
    peakRssMb: peakRssMb(),
    peakHeapMb: Math.round(peakHeap / 2 ** 20),
    rowsFromWarehouse,
  });
}

/**
 * The hand-written diff (bench/delta/baseline.ts's md5 query) under the same memory limit, in
 * its own process: `materialised` keeps the delta in a DuckDB table (bench/delta's baseline);
 * `read` has the client read the delta rows (DuckDB's node API, every value extracted), which
 * is what a tool needs from a diff and what Syncline's plan does.
 */
async function baseline(path: string, mode: "materialised" | "read"): Promise<void> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const { COLUMNS, baselineHashSql } = await import("./delta/data.ts");
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY", memory_limit: MEMORY_LIMIT });
  const connection = await instance.connect();
  const diff = `SELECT coalesce(c.id, s.id) AS id,
      CASE WHEN s.id IS NULL THEN 'added' WHEN c.id IS NULL THEN 'removed' ELSE 'changed' END AS change,
      ${COLUMNS.map((name) => `c.${name}`).join(", ")}
    FROM (SELECT *, ${baselineHashSql("m")} AS h FROM customers m) c
    FULL OUTER JOIN (SELECT id, md5_hash AS h FROM bench_snapshot) s ON c.id = s.id
    WHERE c.h IS DISTINCT FROM s.h`;
  const started = performance.now();
  let rows = 0;
  if (mode === "materialised") {
    await connection.run(`CREATE OR REPLACE TEMP TABLE delta AS ${diff}`);
  } else {
    const result = await connection.stream(diff);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      chunk.getColumns();
      rows += chunk.rowCount;
    }
  }
  const ms = performance.now() - started;
  connection.closeSync();
  instance.closeSync();
  report({ ms, rows, peakRssMb: peakRssMb() });
}

if (process.argv[1] === import.meta.filename) {
  if (process.argv[2] === "worker") await worker(process.argv[3]!);
  else if (process.argv[2] === "baseline") await baseline(process.argv[3]!, "materialised");
  else if (process.argv[2] === "baseline-read") await baseline(process.argv[3]!, "read");
  else {
    const { parseArgs } = await import("./lib/args.ts");
    await warehouseScenario(parseArgs(process.argv.slice(2)));
  }
}
