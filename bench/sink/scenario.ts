import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import webhook from "../../plugins/webhook/index.ts";
import { createSql, mappingYaml, runSql } from "../delta/data.ts";
import { removeState } from "../delta/scenario.ts";
import type { BenchArgs } from "../lib/args.ts";
import { CLI_RUNTIME, runWorker } from "../lib/child.ts";
import { median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";
import { type Stats, startReceiver } from "./receiver-control.ts";

const HERE = import.meta.dirname;
const WORK = join(HERE, "..", ".work", "sink");
/** Records a call: the target is stated for 1,000-record batches. */
const BATCH = 1000;

interface WorkerReport {
  status: string;
  error: unknown;
  counts: { succeeded: { added: number } };
  runMs: number;
  sinkMs: number;
  sinkStartUs: number;
  sinkCpuMs: number;
  cpuMs: number;
  peakRssMb: number;
}

export interface SinkFigures {
  rows: number;
  batch: number;
  concurrency: number;
  repetitions: number;
  /** Batches the receiver got per run, and their mean size. */
  calls: number;
  bytesPerCall: number;
  /** Records the engine counted as confirmed ÷ the sink phase's wall time (from "sending" to the run's end). */
  sinkRecordsPerSec: number;
  /** The same records ÷ the sink phase's CPU time (all threads): what the engine costs, whatever the machine's load. */
  sinkRecordsPerCpuSec: number;
  /** The same records ÷ the whole run (plan included). */
  runRecordsPerSec: number;
  /** The bare client's records ÷ its wall time: what the receiver can take. */
  ceilingRecordsPerSec: number;
  /** sink ÷ ceiling. */
  ratio: number;
  sinkMs: number;
  runMs: number;
  ceilingMs: number;
  peakRssMb: number;
  loadAverage: { before: number; after: number };
  /** Every run's figures, in order: the spread behind the medians. */
  runs: { sinkMs: number[]; sinkCpuMs: number[]; ceilingMs: number[] };
}

/**
 * Scenario 15: sink throughput. The delta scenario's 10-column model sent in full (first runs)
 * through the webhook destination, 1,000 records a call, to a receiver in its own process
 * without a rate limit; against a bare client posting the same bodies to the same receiver
 * with the same concurrency (alternating, so both see the same machine).
 */
export async function sinkScenario(args: BenchArgs): Promise<SinkFigures> {
  const rows = args.quick ? 50_000 : 200_000;
  const repetitions = args.repeat;
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  await runSql(join(WORK, "warehouse.duckdb"), createSql(rows));
  const receiver = await startReceiver();
  try {
    const url = `${receiver.url}/hook`;
    const config = writeConfig(url);
    const caps = v.parse(webhook.config, { url, maxRecords: BATCH });
    const concurrency = (typeof webhook.capabilities === "function" ? webhook.capabilities(caps) : webhook.capabilities)
      .concurrency!;
    const loadBefore = loadavg()[0]!;
    // Unmeasured: the receiver keeps this run's bodies for the bare client.
    await receiver.post("/record");
    await engineRun(config, args, "warm-up");
    const bodies = join(WORK, "bodies.jsonl");
    await receiver.post("/save", bodies);
    const engine: Array<WorkerReport & { stats: Stats }> = [];
    const client: Array<{ ms: number; stats: Stats }> = [];
    for (let i = 0; i < repetitions; i++) {
      let before = await receiver.stats();
      const report = await engineRun(config, args, `sink-${i}`);
      engine.push({ ...report, stats: minus(await receiver.stats(), before) });
      before = await receiver.stats();
      const bare = await runWorker<{ ms: number }>(join(HERE, "client.ts"), [url, bodies, String(concurrency)]);
      client.push({ ms: bare.ms, stats: minus(await receiver.stats(), before) });
    }
    for (const run of engine) check(run.counts.succeeded.added, run.stats.records, rows, "engine");
    for (const run of client) check(run.stats.records, run.stats.records, rows, "bare client");
    const perSec = (records: number, ms: number) => round((records / ms) * 1000);
    const sinkMs = median(engine.map((r) => r.sinkMs));
    const runMs = median(engine.map((r) => r.runMs));
    const ceilingMs = median(client.map((r) => r.ms));
    const calls = engine[0]!.stats.requests;
    const figures: SinkFigures = {
      rows,
      batch: BATCH,
      concurrency,
      repetitions,
      calls,
      bytesPerCall: round(engine[0]!.stats.bytes / calls),
      sinkRecordsPerSec: perSec(rows, sinkMs),
      sinkRecordsPerCpuSec: perSec(rows, median(engine.map((r) => r.sinkCpuMs))),
      runRecordsPerSec: perSec(rows, runMs),
      ceilingRecordsPerSec: perSec(rows, ceilingMs),
      ratio: round(ceilingMs / sinkMs, 3),
      sinkMs: round(sinkMs),
      runMs: round(runMs),
      ceilingMs: round(ceilingMs),
      peakRssMb: Math.max(...engine.map((r) => r.peakRssMb)),
      loadAverage: { before: round(loadBefore, 2), after: round(loadavg()[0]!, 2) },
      runs: {
        sinkMs: engine.map((r) => round(r.sinkMs)),
        sinkCpuMs: engine.map((r) => round(r.sinkCpuMs)),
        ceilingMs: client.map((r) => round(r.ms)),
      },
    };
    print(figures);
    return figures;
  } finally {
    receiver.stop();
  }
}

function print(f: SinkFigures): void {
  printTable(
    `15. Sink throughput: ${f.rows.toLocaleString("en-US")} records to a local webhook receiver, ${f.batch} a call, ${f.concurrency} in flight, medians of ${f.repetitions} (load average ${f.loadAverage.before} → ${f.loadAverage.after})`,
    ["measure", "records/s", "wall time (ms)"],
    [
      ["Syncline, sink phase (sending → run end)", f.sinkRecordsPerSec, f.sinkMs],
      ["Syncline, sink phase, per CPU second", f.sinkRecordsPerCpuSec, ""],
      ["Syncline, whole run (plan included)", f.runRecordsPerSec, f.runMs],
      ["bare client, same bodies (receiver ceiling)", f.ceilingRecordsPerSec, f.ceilingMs],
      ["sink ÷ ceiling", f.ratio, ""],
    ],
  );
}

function check(confirmed: number, received: number, rows: number, who: string): void {
  if (confirmed !== rows || received < rows) {
    throw new Error(`${who}: ${confirmed} records confirmed, ${received} received, expected ${rows}`);
  }
}

const minus = (a: Stats, b: Stats): Stats => ({
  requests: a.requests - b.requests,
  records: a.records - b.records,
  bytes: a.bytes - b.bytes,
});

/** A first run every time: the state is removed, so every row is added and sent. */
async function engineRun(config: string, args: BenchArgs, label: string): Promise<WorkerReport> {
  removeState(WORK);
  const profile = args.profile
    ? ["--cpu-prof", `--cpu-prof-dir=${join(WORK, "..", "profiles")}`, `--cpu-prof-name=${label}.cpuprofile`]
    : [];
  const report = await runWorker<WorkerReport>(join(HERE, "worker.ts"), [config], {
    nodeFlags: [...CLI_RUNTIME.nodeFlags, ...profile],
    env: CLI_RUNTIME.env,
  });
  if (report.status !== "succeeded") throw new Error(`${label}: run ${report.status}: ${JSON.stringify(report.error)}`);
  if (args.profile) process.stderr.write(`${label}: sink phase from ${report.sinkStartUs} µs (profile.ts --from=)\n`);
  return report;
}

function writeConfig(url: string): string {
  const mapping = mappingYaml();
  const path = join(WORK, "syncline.yaml");
  writeFileSync(
    path,
    `state: ./state.db
sources:
  warehouse: { type: duckdb, path: ./warehouse.duckdb }
destinations:
  hook: { type: webhook, url: "${url}", maxRecords: ${BATCH} }
syncs:
  people:
    source: warehouse
    model: { table: customers }
    primaryKey: id
    destination: hook
    object: customers
    mapping:
${mapping}
logLevel: warn
`,
  );
  return path;
}
