import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchArgs } from "../lib/args.ts";
import { CLI_RUNTIME, runWorker } from "../lib/child.ts";
import { compact, median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";
import { changeSql, checkPlanned, createSql, expectedDelta, mappingYaml, runSql, SNAPSHOT_SQL } from "./data.ts";

const HERE = import.meta.dirname;
const WORK = join(HERE, "..", ".work");
/*
 * DuckDB runs inside Syncline's process, so its memory is part of the process's peak RSS. The
 * source is configured as a user would leave it: no `memoryLimit`, so Syncline's own budget
 * applies (plugins/duckdb/config.ts), and DuckDB's default threads (one per core);
 * `--memory-limit=` sets one, for comparison. The baseline runs DuckDB with its defaults (every
 * core, no memory limit). See BENCHMARKS.md.
 */
/**
 * The second run again with the source set for a small sidecar: one DuckDB thread and a
 * 48 MB limit (DuckDB's sort needs memory per thread; one thread sorts the 10M keys in 48 MB).
 */
export const LOW_MEMORY = { threads: 1, memoryLimit: "48MB" } as const;

export interface RunReport {
  status: string;
  error: unknown;
  counts: { rowsRead: number; planned: Record<string, number>; unchanged: number };
  planMs: number;
  runMs: number;
  cpuMs: number;
  peakRssMb: number;
}

interface CopyReport {
  ms: number;
  bytes: number;
  peakRssMb: number;
}

interface BaselineReport {
  ms: number;
  floorMs: number;
  counts: Record<string, number>;
}

export interface PhaseFigures {
  runs: number;
  planMs: number;
  runMs: number;
  planRowsPerSec: number;
  runRowsPerSec: number;
  peakRssMb: number;
}

export interface DeltaFigures {
  rows: number;
  /**
   * The first run (to the `file` destination), and DuckDB's COPY … TO jsonl of the same
   * columns; below 10M rows also the state writes the first run must make, alone (state-floor.ts).
   */
  firstToFile: PhaseFigures & {
    copyMs: number;
    copyRuns: number;
    vsCopy: number;
    stateFloorMs?: number | undefined;
    stateFloorVsCopy?: number | undefined;
  };
  /** The second run, from the first run's state, to the file. */
  second: PhaseFigures;
  /** The second run with the source at LOW_MEMORY; below 10M rows only. */
  secondLowMemory?: PhaseFigures | undefined;
  planLowMemoryVsBaseline?: number | undefined;
  baseline: { runs: number; ms: number; floorMs: number };
  /** Second-run plan time ÷ the baseline's time (target: ≤ 3 at 10M rows). */
  planVsBaseline: number;
  planVsFloor: number;
  delta: Record<string, number>;
}

/**
 * `extra`: top-level config (`inspector:`…) and keys added to the sync (`changelog:`…), for
 * other scenarios; `memoryLimit`, the source's (none by default).
 */
export function writeConfig(
  dir: string,
  lowMemory = false,
  extra: {
    name?: string;
    top?: string;
    sync?: string;
    memoryLimit?: string;
    /** Send to the `file` destination (./out/customers.jsonl) instead of the no-op one. */
    file?: boolean;
  } = {},
): string {
  const limit = lowMemory ? LOW_MEMORY.memoryLimit : extra.memoryLimit;
  copyFileSync(join(HERE, "..", "fixtures", "noop-destination.ts"), join(dir, "noop-destination.ts"));
  const mapping = mappingYaml();
  const yaml = `state: ./state.db
${extra.top ?? ""}
plugins: [./noop-destination.ts]
sources:
  warehouse:
    type: duckdb
    path: ./warehouse.duckdb${limit ? `\n    memoryLimit: ${limit}` : ""}${lowMemory ? `\n    threads: ${LOW_MEMORY.threads}` : ""}
destinations:
  noop:
    type: bench-noop
  file:
    type: file
    path: ./out
syncs:
  customers:
    source: warehouse
    model: { table: customers }
    primaryKey: id
    destination: ${extra.file ? "file" : "noop"}
    object: customers
    mode: mirror
    mapping:
${mapping}
${extra.sync ?? ""}
`;
  const path = join(dir, extra.name ?? (lowMemory ? "syncline-low-memory.yaml" : "syncline.yaml"));
  writeFileSync(path, yaml);
  return path;
}

export function removeState(dir: string, name = "state.db"): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(join(dir, name + suffix), { force: true });
}

function figures(reports: RunReport[], rows: number): PhaseFigures {
  const planMs = median(reports.map((r) => r.planMs));
  const runMs = median(reports.map((r) => r.runMs));
  return {
    runs: reports.length,
    planMs: round(planMs),
    runMs: round(runMs),
    planRowsPerSec: round((rows / planMs) * 1000),
    runRowsPerSec: round((rows / runMs) * 1000),
    peakRssMb: Math.max(...reports.map((r) => r.peakRssMb)),
  };
}

export async function syncRun(config: string, args: BenchArgs, label: string): Promise<RunReport> {
  const profile = args.profile
    ? ["--cpu-prof", `--cpu-prof-dir=${join(WORK, "profiles")}`, `--cpu-prof-name=${label}.cpuprofile`]
    : [];
  // The worker runs with the V8 flags and environment the `syncline` command runs with.
  const report = await runWorker<RunReport>(join(HERE, "worker.ts"), [config], {
    nodeFlags: [...CLI_RUNTIME.nodeFlags, ...profile],
    env: CLI_RUNTIME.env,
  });
  if (report.status !== "succeeded") throw new Error(`${label}: run ${report.status}: ${JSON.stringify(report.error)}`);
  return report;
}

/**
 * Scenario 1 for one model size: the first run to the file against DuckDB's COPY, the second
 * run after changes against the baseline. Kept within 15 minutes with all three sizes: the
 * first run once at 10M rows, the small-sidecar second run and the state floor below 10M
 * only, and sendChangedFieldsOnly left to its own scenario (`fields`).
 */
export async function deltaAtSize(rows: number, args: BenchArgs): Promise<DeltaFigures> {
  const dir = join(WORK, `delta-${rows}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const large = rows >= 10_000_000;
  const config = writeConfig(dir, false, { memoryLimit: args.memoryLimit, file: true });
  const lowMemoryConfig = writeConfig(dir, true, { file: true });
  const warehouse = join(dir, "warehouse.duckdb");
  await runSql(warehouse, `${createSql(rows)}; ${SNAPSHOT_SQL}`);

  // The first run against DuckDB's own COPY to JSON lines, alternating.
  const firstRuns = large ? 1 : args.repeat;
  const first: RunReport[] = [];
  const copies: CopyReport[] = [];
  for (let i = 0; i < firstRuns; i++) {
    removeState(dir);
    rmSync(join(dir, "out"), { recursive: true, force: true });
    first.push(await syncRun(config, args, `first-file-${rows}-${i}`));
    copies.push(await runWorker<CopyReport>(join(HERE, "copy-baseline.ts"), [warehouse, join(dir, "copy.jsonl")]));
  }
  copyFileSync(join(dir, "state.db"), join(dir, "state-v1.db"));
  const floorMs = large ? undefined : await stateFloor(dir, rows);

  await runSql(warehouse, changeSql(rows));
  const expected = expectedDelta(rows);
  const second: RunReport[] = [];
  const secondLowMemory: RunReport[] = [];
  // Alternating, so both settings see the same machine load.
  const lowMemoryRuns = large ? 0 : args.repeat;
  const schedule = Array.from({ length: args.repeat + lowMemoryRuns }, (_, i) => i % 2 === 1 && i < 2 * lowMemoryRuns);
  for (const lowMemory of schedule) {
    removeState(dir);
    rmSync(join(dir, "out"), { recursive: true, force: true });
    copyFileSync(join(dir, "state-v1.db"), join(dir, "state.db"));
    const label = `second-${lowMemory ? `low-memory-${rows}-${secondLowMemory.length}` : `${rows}-${second.length}`}`;
    const report = await syncRun(lowMemory ? lowMemoryConfig : config, args, label);
    checkPlanned(report.counts.planned, expected, `second run at ${rows} rows`);
    (lowMemory ? secondLowMemory : second).push(report);
  }

  const baselines: BaselineReport[] = [];
  for (let i = 0; i < args.repeat; i++) {
    baselines.push(await runWorker<BaselineReport>(join(HERE, "baseline.ts"), [warehouse]));
  }
  const baselineMs = median(baselines.map((b) => b.ms));
  const floor = median(baselines.map((b) => b.floorMs));
  const secondFigures = figures(second, second[0]!.counts.rowsRead);
  const lowMemoryFigures = large ? undefined : figures(secondLowMemory, second[0]!.counts.rowsRead);
  rmSync(join(dir, "state-v1.db"), { force: true });
  return {
    rows,
    firstToFile: fileFigures(first, copies, floorMs, rows),
    second: secondFigures,
    secondLowMemory: lowMemoryFigures,
    planLowMemoryVsBaseline: lowMemoryFigures && round(lowMemoryFigures.planMs / baselineMs, 2),
    baseline: { runs: baselines.length, ms: round(baselineMs), floorMs: round(floor) },
    planVsBaseline: round(secondFigures.planMs / baselineMs, 2),
    planVsFloor: round(secondFigures.planMs / floor, 2),
    delta: expected,
  };
}

function fileFigures(
  runs: RunReport[],
  copies: CopyReport[],
  floorMs: number | undefined,
  rows: number,
): DeltaFigures["firstToFile"] {
  const copyMs = median(copies.map((c) => c.ms));
  const phase = figures(runs, rows);
  return {
    ...phase,
    copyMs: round(copyMs),
    copyRuns: copies.length,
    vsCopy: round(phase.runMs / copyMs, 2),
    stateFloorMs: floorMs === undefined ? undefined : round(floorMs),
    stateFloorVsCopy: floorMs === undefined ? undefined : round(floorMs / copyMs, 2),
  };
}

/** The state writes of a first sync of `rows` records alone (state-floor.ts), with the CLI's runtime. */
async function stateFloor(dir: string, rows: number): Promise<number> {
  const args = [join(dir, "floor.db"), String(rows)];
  const report = await runWorker<{ ms: number }>(join(HERE, "state-floor.ts"), args, CLI_RUNTIME);
  return report.ms;
}

/** One row of the delta table: a phase's figures, then the baseline columns. */
function phaseRow(rows: number, label: string, f: PhaseFigures, baseline: Array<string | number>) {
  return [
    compact(rows),
    label,
    compact(f.planRowsPerSec),
    compact(f.runRowsPerSec),
    round(f.planMs / 1000, 2),
    round(f.runMs / 1000, 2),
    f.peakRssMb,
    ...baseline,
  ];
}

export async function deltaScenario(args: BenchArgs): Promise<DeltaFigures[]> {
  const results: DeltaFigures[] = [];
  for (const rows of args.sizes) {
    process.stderr.write(`delta: ${rows} rows…\n`);
    results.push(await deltaAtSize(rows, args));
  }
  printTable(
    "1. Delta at scale (DuckDB model, 10 columns, to the `file` destination; medians)",
    [
      "rows",
      "run",
      "plan rows/s",
      "run rows/s",
      "plan s",
      "run s",
      "peak RSS MB",
      "baseline s",
      "plan ÷ baseline",
      "plan ÷ hash() floor",
    ],
    results.flatMap((r) => {
      const baseline = round(r.baseline.ms / 1000, 2);
      const floor = r.firstToFile.stateFloorMs;
      return [
        phaseRow(r.rows, "first", r.firstToFile, [
          `${round(r.firstToFile.copyMs / 1000, 2)} (COPY)`,
          `run ÷ COPY ${r.firstToFile.vsCopy}`,
          floor === undefined
            ? ""
            : `state writes alone ${round(floor / 1000, 2)} s = ${r.firstToFile.stateFloorVsCopy}× COPY`,
        ]),
        phaseRow(r.rows, "second", r.second, [baseline, r.planVsBaseline, r.planVsFloor]),
        ...(r.secondLowMemory
          ? [
              phaseRow(r.rows, `second, ${LOW_MEMORY.threads} thread / ${LOW_MEMORY.memoryLimit}`, r.secondLowMemory, [
                baseline,
                r.planLowMemoryVsBaseline ?? "",
                "",
              ]),
            ]
          : []),
      ];
    }),
  );
  return results;
}
