import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createSql, runSql, SNAPSHOT_SQL } from "./delta/data.ts";
import { type RunReport, removeState, syncRun, writeConfig } from "./delta/scenario.ts";
import type { BenchArgs } from "./lib/args.ts";
import { compact, median, round } from "./lib/stats.ts";
import { printTable } from "./lib/table.ts";

const WORK = join(import.meta.dirname, ".work");

/** The three settings compared, each a first run of the delta scenario's model (every row sent). */
const SETTINGS = {
  /** The default: changelog on, inspector on (one call row per batch for this non-HTTP destination). */
  on: { name: "changelog-on.yaml" },
  off: { name: "changelog-off.yaml", sync: "    changelog: false" },
  bare: { name: "changelog-bare.yaml", sync: "    changelog: false", top: "inspector: { calls: 0 }" },
} as const;
type Setting = keyof typeof SETTINGS;

export interface ChangelogFigures {
  rows: number;
  runs: number;
  runMs: Record<Setting, number>;
  /** CPU time (user + system) of the run: steadier than wall time on a shared machine. */
  cpuMs: Record<Setting, number>;
  cpuRatio: number;
  /** First-run time with the changelog ÷ without (target ≤ 1.10 at 1M rows). */
  changelogRatio: number;
  /** Without the changelog, inspector on ÷ off. */
  inspectorRatio: number;
  changelogRows: number;
}

/**
 * The record changelog's cost: first runs of the same model with the changelog on and off
 * (and the inspector off too), alternating so that each setting sees the same machine load.
 */
export async function changelogScenario(args: BenchArgs): Promise<ChangelogFigures[]> {
  const results: ChangelogFigures[] = [];
  for (const rows of args.sizes) {
    process.stderr.write(`changelog: ${rows} rows…\n`);
    const dir = join(WORK, `changelog-${rows}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await runSql(join(dir, "warehouse.duckdb"), `${createSql(rows)}; ${SNAPSHOT_SQL}`);
    const configs = Object.fromEntries(
      Object.entries(SETTINGS).map(([setting, extra]) => [setting, writeConfig(dir, false, extra)]),
    ) as Record<Setting, string>;
    const reports: Record<Setting, RunReport[]> = { on: [], off: [], bare: [] };
    for (let i = 0; i < args.repeat; i++) {
      for (const setting of Object.keys(SETTINGS) as Setting[]) {
        removeState(dir);
        reports[setting].push(await syncRun(configs[setting], args, `changelog-${setting}-${rows}-${i}`));
      }
    }
    const runMs = {
      on: median(reports.on.map((r) => r.runMs)),
      off: median(reports.off.map((r) => r.runMs)),
      bare: median(reports.bare.map((r) => r.runMs)),
    };
    const cpuMs = {
      on: median(reports.on.map((r) => r.cpuMs)),
      off: median(reports.off.map((r) => r.cpuMs)),
      bare: median(reports.bare.map((r) => r.cpuMs)),
    };
    results.push({
      rows,
      runs: args.repeat,
      runMs: { on: round(runMs.on), off: round(runMs.off), bare: round(runMs.bare) },
      changelogRatio: round(runMs.on / runMs.off, 3),
      cpuMs: { on: round(cpuMs.on), off: round(cpuMs.off), bare: round(cpuMs.bare) },
      cpuRatio: round(cpuMs.on / cpuMs.off, 3),
      inspectorRatio: round(runMs.off / runMs.bare, 3),
      changelogRows: reports.on[0]!.counts.planned.added ?? 0,
    });
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(
    "Record changelog cost (first run, DuckDB model, no-op destination; medians)",
    [
      "rows",
      "runs",
      "changelog on s",
      "changelog off s",
      "off, no inspector s",
      "on ÷ off",
      "inspector on ÷ off",
      "CPU s on / off",
      "CPU on ÷ off",
    ],
    results.map((r) => [
      compact(r.rows),
      r.runs,
      round(r.runMs.on / 1000, 2),
      round(r.runMs.off / 1000, 2),
      round(r.runMs.bare / 1000, 2),
      r.changelogRatio,
      r.inspectorRatio,
      `${round(r.cpuMs.on / 1000, 2)} / ${round(r.cpuMs.off / 1000, 2)}`,
      r.cpuRatio,
    ]),
  );
  return results;
}
