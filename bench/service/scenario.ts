import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { runSql } from "../delta/data.ts";
import type { BenchArgs } from "../lib/args.ts";
import { median, percentile, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";

const HERE = import.meta.dirname;
const CLI = join(HERE, "..", "..", "bin", "syncline.js");
const TOKEN = "bench-token-0123456789abcdef";

export interface ServiceFigures {
  startups: number;
  /** Spawn of `syncline serve` to the first 200 from /readyz. */
  startupMs: { median: number; max: number };
  triggers: number;
  /** POST /v1/syncs/{sync}/runs → 202, as a client sees it. */
  triggerMs: { p50: number; p99: number; max: number };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A 1,000-row DuckDB sync to a no-op destination (a local plugin), served on `port`. */
export async function prepare(dir: string, port: number): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(HERE, "..", "fixtures", "noop-destination.ts"), join(dir, "noop-destination.ts"));
  await runSql(
    join(dir, "warehouse.duckdb"),
    "CREATE TABLE people AS SELECT i AS id, 'p' || i || '@example.com' AS email FROM range(1, 1001) t(i)",
  );
  const config = join(dir, "syncline.yaml");
  writeFileSync(
    config,
    `state: ./state.db
plugins: [./noop-destination.ts]
sources: { wh: { type: duckdb, path: ./warehouse.duckdb } }
destinations: { noop: { type: bench-noop } }
syncs:
  people: { source: wh, model: { table: people }, primaryKey: id, destination: noop, object: people, mapping: { email: email } }
server: { port: ${port}, host: 127.0.0.1, tokens: ["${TOKEN}"] }
logLevel: warn
`,
  );
  return config;
}

async function startService(config: string, port: number): Promise<{ child: ChildProcess; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, "serve", "--config", config], { stdio: ["ignore", "ignore", "pipe"] });
  await waitReady(child, port);
  return { child, ms: performance.now() - started };
}

/** Polls /readyz every 5 ms until it answers 200 (the child's stderr must be piped). */
export async function waitReady(child: ChildProcess, port: number): Promise<void> {
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`syncline serve exited ${child.exitCode}: ${stderr.slice(-1000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** Scenario 4: the HTTP service's start-up time to ready and its trigger latency. */
export async function serviceScenario(args: BenchArgs): Promise<ServiceFigures> {
  const port = await freePort();
  const config = await prepare(join(HERE, "..", ".work", "service"), port);
  const startups: number[] = [];
  for (let i = 0; i < (args.quick ? 3 : 5); i++) {
    const { child, ms } = await startService(config, port);
    startups.push(ms);
    await stop(child);
  }
  const { child } = await startService(config, port);
  const latencies: number[] = [];
  const triggers = args.quick ? 200 : 1000;
  try {
    for (let i = 0; i < triggers; i++) {
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}/v1/syncs/people/runs`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: "{}",
      });
      await response.arrayBuffer();
      if (response.status !== 202) throw new Error(`trigger answered ${response.status}`);
      latencies.push(performance.now() - started);
    }
  } finally {
    await stop(child);
  }
  const figures: ServiceFigures = {
    startups: startups.length,
    startupMs: { median: round(median(startups)), max: round(Math.max(...startups)) },
    triggers,
    triggerMs: {
      p50: round(percentile(latencies, 50), 2),
      p99: round(percentile(latencies, 99), 2),
      max: round(Math.max(...latencies), 2),
    },
  };
  printTable(
    "4. Service (syncline serve, loopback)",
    ["measure", "value"],
    [
      [
        `start-up to ready, median of ${figures.startups} (ms)`,
        `${figures.startupMs.median} (max ${figures.startupMs.max})`,
      ],
      [
        `trigger latency p50 / p99 over ${triggers} (ms)`,
        `${figures.triggerMs.p50} / ${figures.triggerMs.p99} (max ${figures.triggerMs.max})`,
      ],
    ],
  );
  return figures;
}
