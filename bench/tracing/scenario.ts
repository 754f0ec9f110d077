import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { runSql } from "../delta/data.ts";
import type { BenchArgs } from "../lib/args.ts";
import { median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";

const HERE = import.meta.dirname;
const CLI = join(HERE, "..", "..", "bin", "syncline.js");

interface Side {
  /** The run itself, its startedAt → finishedAt. */
  runMs: number;
  /** Spawn of `syncline run` to its exit (with tracing: the flush of the last spans). */
  wallMs: number;
}

export interface TracingFigures {
  rows: number;
  calls: number;
  repetitions: number;
  off: Side;
  on: Side;
  /** on / off, per measure. */
  ratio: Side;
  /** OTLP requests and bytes received per traced run. */
  exported: { requests: number; bytes: number };
}

/** A local HTTP server answering every POST at once: the webhook receiver, or the OTLP collector. */
async function sink(answer: string, onRequest: (bytes: number) => void = () => {}): Promise<Server> {
  const server = createServer((request, response) => {
    let bytes = 0;
    request.on("data", (chunk: Buffer) => (bytes += chunk.length));
    request.on("end", () => {
      onRequest(bytes);
      response.writeHead(200, { "content-type": "application/json" }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function runOnce(config: string, env: Record<string, string>): Promise<Side> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, "run", "people", "--config", config, "--json", "--full-resync"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: "", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "", ...env },
  });
  let stdout = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`syncline run exited ${code}: ${stdout.slice(-500)}`);
  const summary = JSON.parse(stdout) as { durationMs: number };
  return { runMs: summary.durationMs, wallMs };
}

/**
 * Scenario 9: the cost of tracing. The same `syncline run` (a DuckDB model sent in full through
 * the webhook destination to a local receiver, 500 records a call) without the OTEL_* variables
 * and with them (OTLP/HTTP protobuf to a local collector that accepts everything), alternating.
 */
export async function tracingScenario(args: BenchArgs): Promise<TracingFigures> {
  const rows = args.quick ? 20_000 : 100_000;
  const repetitions = args.quick ? 3 : 7;
  const work = join(HERE, "..", ".work", "tracing");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  let calls = 0;
  const receiver = await sink("{}", () => calls++);
  const exported = { requests: 0, bytes: 0 };
  const collector = await sink("", (bytes) => {
    exported.requests++;
    exported.bytes += bytes;
  });
  try {
    await runSql(
      join(work, "warehouse.duckdb"),
      `CREATE TABLE people AS SELECT i AS id, 'p' || i || '@example.com' AS email FROM range(1, ${rows + 1}) t(i)`,
    );
    const config = join(work, "syncline.yaml");
    writeFileSync(
      config,
      `state: ./state.db
sources: { wh: { type: duckdb, path: ./warehouse.duckdb } }
destinations: { hook: { type: webhook, url: "${urlOf(receiver)}/in", maxRecords: 500 } }
syncs:
  people: { source: wh, model: { table: people }, primaryKey: id, destination: hook, object: people, mapping: { email: email } }
logLevel: warn
`,
    );
    const on = { OTEL_EXPORTER_OTLP_ENDPOINT: urlOf(collector) };
    await runOnce(config, {}); // creates the state file; not measured
    const samples = { off: [] as Side[], on: [] as Side[] };
    calls = 0;
    for (let i = 0; i < repetitions; i++) {
      samples.off.push(await runOnce(config, {}));
      samples.on.push(await runOnce(config, on));
    }
    const medians = (list: Side[]): Side => ({
      runMs: round(median(list.map((s) => s.runMs))),
      wallMs: round(median(list.map((s) => s.wallMs))),
    });
    const figures: TracingFigures = {
      rows,
      calls: Math.round(calls / (2 * repetitions)),
      repetitions,
      off: medians(samples.off),
      on: medians(samples.on),
      ratio: { runMs: 0, wallMs: 0 },
      exported: {
        requests: Math.round(exported.requests / repetitions),
        bytes: Math.round(exported.bytes / repetitions),
      },
    };
    figures.ratio.runMs = round(figures.on.runMs / figures.off.runMs, 3);
    figures.ratio.wallMs = round(figures.on.wallMs / figures.off.wallMs, 3);
    printTable(
      `9. Tracing: ${rows.toLocaleString("en-US")} rows, ${figures.calls} webhook calls a run, medians of ${repetitions}`,
      ["measure (ms)", "tracing off", "tracing on (OTLP)", "on / off"],
      [
        ["the run (startedAt → finishedAt)", figures.off.runMs, figures.on.runMs, figures.ratio.runMs],
        ["syncline run, spawn to exit", figures.off.wallMs, figures.on.wallMs, figures.ratio.wallMs],
      ].map((row) => row.map(String)),
    );
    return figures;
  } finally {
    await Promise.all([receiver, collector].map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
