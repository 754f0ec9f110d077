import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ChildOptions } from "../lib/child.ts";
import { waitReady } from "../service/scenario.ts";

/** GNU time: the exact peak RSS of a child that exits (ru_maxrss), which /proc cannot give after exit. */
const TIME = "/usr/bin/time";

export interface RunFigures {
  /** Spawn of `syncline run` to its exit. */
  runMs: number;
  /** That minus the run itself (its durationMs): Node, modules, config, state, exit. */
  overheadMs: number;
  /** The process's peak resident set (NaN without GNU time). */
  peakRssMb: number;
}

export interface ServeFigures {
  /** Spawn of `syncline serve` to the first 200 from /readyz. */
  readyzMs: number;
  /** VmRSS after /readyz and `idleMs` of rest, and its split: private memory, mapped files. */
  restRssMb: number;
  restAnonMb: number;
  restFileMb: number;
}

/** How Node is started: its flags before the script, and variables added to the environment. */
export type Launch = Pick<ChildOptions, "nodeFlags" | "env">;

/** `syncline run <sync> --json --full-resync` as one process, timed, with its peak RSS. */
export async function runOnce(
  cli: string,
  config: string,
  sync: string,
  work: string,
  launch: Launch = {},
): Promise<RunFigures> {
  const peakFile = join(work, "peak-rss.txt");
  rmSync(peakFile, { force: true });
  const args = [...(launch.nodeFlags ?? []), cli, "run", sync, "--config", config, "--json", "--full-resync"];
  const env = { ...process.env, ...launch.env };
  const timed = existsSync(TIME);
  const started = performance.now();
  const child = timed
    ? spawn(TIME, ["-f", "%M", "-o", peakFile, process.execPath, ...args], { stdio: ["ignore", "pipe", "pipe"], env })
    : spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const runMs = performance.now() - started;
  if (code !== 0) throw new Error(`syncline run exited ${code}: ${stderr.slice(-500)}${stdout.slice(-500)}`);
  const summary = JSON.parse(stdout) as { durationMs: number };
  const peakKb = timed ? Number(readFileSync(peakFile, "utf8").trim().split("\n").at(-1)) : Number.NaN;
  return { runMs, overheadMs: runMs - summary.durationMs, peakRssMb: peakKb / 1024 };
}

/**
 * `syncline serve` (with `args`, e.g. `--run <sync>` as `npm start` does): time to /readyz 200,
 * then the resident set after `idleMs` of rest, read from /proc before it is stopped.
 */
export async function serveOnce(
  cli: string,
  config: string,
  port: number,
  idleMs: number,
  args: readonly string[] = [],
  launch: Launch = {},
): Promise<ServeFigures> {
  const started = performance.now();
  const child = spawn(process.execPath, [...(launch.nodeFlags ?? []), cli, "serve", "--config", config, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...launch.env, PORT: String(port) },
  });
  try {
    await waitReady(child, port);
    const readyzMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const mb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]) / 1024;
    return { readyzMs, restRssMb: mb("VmRSS"), restAnonMb: mb("RssAnon"), restFileMb: mb("RssFile") };
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}
