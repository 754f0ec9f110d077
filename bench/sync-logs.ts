/**
 * `npm run bench -- --only=sync-logs [--sizes=10k,100k]`: how long loading one run's warehouse
 * sync logs takes (sync_runs, a changelog of N entries, N snapshot rows, through staging and
 * one transaction) against the baseline of the driver's bare bulk load of the same N changelog
 * rows into a table, on a DuckDB file and on the local Postgres (SYNCLINE_TEST_POSTGRES_URL).
 * The reload (the same run again, as a retry) replaces the rows and is timed too.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import * as v from "valibot";
import duckdb from "../plugins/duckdb/index.ts";
import postgres from "../plugins/postgres/index.ts";
import { postgresReachable, TEST_POSTGRES_URL } from "../plugins/postgres/test-server.ts";
import { loadRunLogs } from "../src/engine/sync-logs/loader.ts";
import { changelogRow } from "../src/engine/sync-logs/rows.ts";
import { CHANGELOG_COLUMNS } from "../src/engine/sync-logs/tables.ts";
import type { ChangelogEntry } from "../src/engine/sync-logs/types.ts";
import { silentLogger } from "../src/sdk/logger.ts";
import type { SourceContext, SourceDefinition } from "../src/sdk/source.ts";
import { openState } from "../src/state/database.ts";
import { RunStore } from "../src/state/run-store.ts";
import { SyncLogStore } from "../src/state/sync-log-store.ts";
import type { BenchArgs } from "./lib/args.ts";
import { median, round } from "./lib/stats.ts";
import { printTable } from "./lib/table.ts";

export interface SyncLogFigures {
  warehouse: string;
  entries: number;
  loadMs: number;
  reloadMs: number;
  bareBulkMs: number;
  ratio: number;
}

const PAGE = 1000;

export async function syncLogsScenario(args: BenchArgs): Promise<SyncLogFigures[]> {
  const sizes = args.sizes.some((n) => n > 1_000_000) ? [10_000, 100_000] : args.sizes;
  // The baseline: one bulk load of the whole changelog, the least the driver can do.
  const dir = mkdtempSync(join(tmpdir(), "syncline-bench-logs-"));
  const state = openState(join(dir, "state.db"));
  (await DuckDBInstance.create(join(dir, "w.duckdb"))).closeSync(); // the source needs the file
  const out: SyncLogFigures[] = [];
  const targets: Array<[string, SourceDefinition<unknown>, unknown]> = [
    ["duckdb", duckdb as SourceDefinition<unknown>, v.parse(duckdb.config, { path: join(dir, "w.duckdb") })],
  ];
  if (await postgresReachable())
    targets.push([
      "postgres",
      postgres as SourceDefinition<unknown>,
      v.parse(postgres.config, { url: TEST_POSTGRES_URL }),
    ]);
  else process.stderr.write(`sync-logs: Postgres at ${TEST_POSTGRES_URL} is not reachable: its case is NOT measured\n`);
  try {
    for (const [name, plugin, config] of targets) {
      const ctx: SourceContext<unknown> = {
        config,
        logger: silentLogger,
        signal: new AbortController().signal,
        state: new Map(),
        baseDir: dir,
      };
      const access = plugin.warehouse!;
      for (const entries of sizes) {
        process.stderr.write(`sync logs (${name}): ${entries} entries…\n`);
        const loads: number[] = [];
        const reloads: number[] = [];
        const bare: number[] = [];
        for (let i = 0; i < args.repeat; i++) {
          const schema = `bench_logs_${i}`;
          await access.execute(ctx, [`DROP SCHEMA IF EXISTS ${schema} CASCADE`, `CREATE SCHEMA ${schema}`]);
          const runs = new RunStore(state.sqlite);
          const run = runs.create({ sync: "bench", trigger: "cli" });
          runs.start(run.id, "bench");
          const finished = runs.finish(run.id, { status: "succeeded" });
          const changelog = makeEntries(run.id, entries);
          const deps = { store: new SyncLogStore(state.sqlite), entries: changelog, logger: silentLogger };
          let t = performance.now();
          await loadRunLogs(finished, { access, ctx, schema }, deps);
          loads.push(performance.now() - t);
          t = performance.now();
          await loadRunLogs(finished, { access, ctx, schema }, deps);
          reloads.push(performance.now() - t);
          const columns = CHANGELOG_COLUMNS.map(([column]) => column);
          await access.execute(ctx, [
            `CREATE TABLE ${schema}.bare (${columns.map((c) => `"${c}" VARCHAR`).join(", ")})`,
          ]);
          t = performance.now();
          const rows = [];
          for await (const page of changelog(run.id)) rows.push(...page.map(changelogRow));
          await access.bulkLoad!(ctx, { schema, name: "bare" }, columns, rows);
          bare.push(performance.now() - t);
          await access.execute(ctx, [`DROP SCHEMA ${schema} CASCADE`]);
        }
        const loadMs = round(median(loads));
        const bareBulkMs = round(median(bare));
        out.push({
          warehouse: name,
          entries,
          loadMs,
          reloadMs: round(median(reloads)),
          bareBulkMs,
          ratio: round(loadMs / bareBulkMs, 2),
        });
      }
      await plugin.close?.(ctx);
    }
  } finally {
    state.close();
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(
    "Warehouse sync logs: one run's load against the bare bulk load of its changelog",
    ["warehouse", "entries", "load ms", "reload ms", "bare bulk ms", "load / bare"],
    out.map((f) => [f.warehouse, f.entries, f.loadMs, f.reloadMs, f.bareBulkMs, f.ratio]),
  );
  return out;
}

function makeEntries(runId: string, n: number) {
  const at = new Date().toISOString();
  return async function* (_runId: string): AsyncGenerator<ChangelogEntry[]> {
    for (let start = 0; start < n; start += PAGE) {
      const page: ChangelogEntry[] = [];
      for (let i = start; i < Math.min(n, start + PAGE); i++)
        page.push({
          runId,
          sync: "bench",
          key: String(i),
          operation: "add",
          outcome: "ok",
          code: null,
          reason: null,
          remoteId: `r-${i}`,
          attempts: 1,
          at,
        });
      yield page;
    }
  };
}
