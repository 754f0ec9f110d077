import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { BenchArgs } from "../lib/args.ts";
import { median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";
import { freePort, prepare, waitReady } from "../service/scenario.ts";

const HERE = import.meta.dirname;
const ROOT = join(HERE, "..", "..");

interface Figures {
  /** Spawn of `syncline run` to its exit. */
  runMs: number;
  /** That minus the run itself (its startedAt → finishedAt): Node, modules, config, state, exit. */
  overheadMs: number;
  /** Spawn of `syncline serve` to the first 200 from /readyz. */
  readyzMs: number;
}

export interface StartupFigures {
  repetitions: number;
  sources: Figures;
  dist: Figures;
  /** dist / sources, per measure: at most 1 is the target. */
  ratio: Figures;
}

/**
 * The package as npm installs it, without npm: `npm pack` (its prepack builds dist/), the
 * tarball unpacked, and the checkout's node_modules (the same dependency versions) beside it.
 */
function packagedCli(work: string): string {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "package"), { recursive: true });
  const name = execFileSync("npm", ["pack", "--pack-destination", work, "--loglevel=error"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .at(-1)!;
  execFileSync("tar", ["-xzf", join(work, name), "-C", join(work, "package"), "--strip-components=1"]);
  symlinkSync(join(ROOT, "node_modules"), join(work, "package", "node_modules"));
  return join(work, "package", "bin", "syncline.js");
}

async function runOnce(cli: string, config: string): Promise<{ runMs: number; overheadMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, "run", "people", "--config", config, "--json", "--full-resync"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const runMs = performance.now() - started;
  if (code !== 0) throw new Error(`syncline run exited ${code}: ${stdout.slice(-500)}`);
  const summary = JSON.parse(stdout) as { startedAt: number; finishedAt: number };
  return { runMs, overheadMs: runMs - (summary.finishedAt - summary.startedAt) };
}

async function readyOnce(cli: string, config: string, port: number): Promise<number> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [cli, "serve", "--config", config], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  try {
    await waitReady(child, port);
    return performance.now() - started;
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}

/**
 * Scenario 6: start-up of the built package (dist/) against the TypeScript sources, the same
 * config and data: `syncline run` of a 1,000-row sync to a no-op destination (wall time and
 * process overhead), and `syncline serve` to /readyz. Runs alternate between the two.
 */
export async function startupScenario(args: BenchArgs): Promise<StartupFigures> {
  const work = join(HERE, "..", ".work", "startup");
  const dist = packagedCli(work);
  const sources = join(ROOT, "bin", "syncline.js");
  const port = await freePort();
  const config = await prepare(join(work, "app"), port);
  const repetitions = args.quick ? 3 : 11;
  const samples = { sources: [] as Figures[], dist: [] as Figures[] };
  await runOnce(sources, config); // the first run creates the state file; not measured
  for (let i = 0; i < repetitions; i++) {
    for (const [side, cli] of [
      ["sources", sources],
      ["dist", dist],
    ] as const) {
      const run = await runOnce(cli, config);
      samples[side].push({ ...run, readyzMs: await readyOnce(cli, config, port) });
    }
  }
  const medians = (list: Figures[]): Figures => ({
    runMs: round(median(list.map((f) => f.runMs))),
    overheadMs: round(median(list.map((f) => f.overheadMs))),
    readyzMs: round(median(list.map((f) => f.readyzMs))),
  });
  const figures: StartupFigures = {
    repetitions,
    sources: medians(samples.sources),
    dist: medians(samples.dist),
    ratio: { runMs: 0, overheadMs: 0, readyzMs: 0 },
  };
  for (const key of ["runMs", "overheadMs", "readyzMs"] as const) {
    figures.ratio[key] = round(figures.dist[key] / figures.sources[key], 2);
  }
  printTable(
    `6. Start-up: the built package (dist/) against the sources, medians of ${repetitions}`,
    ["measure (ms)", "sources", "dist", "dist / sources"],
    [
      ["syncline run, spawn to exit (1,000 rows)", figures.sources.runMs, figures.dist.runMs, figures.ratio.runMs],
      ["  of which process overhead", figures.sources.overheadMs, figures.dist.overheadMs, figures.ratio.overheadMs],
      ["syncline serve, spawn to /readyz 200", figures.sources.readyzMs, figures.dist.readyzMs, figures.ratio.readyzMs],
    ].map((row) => row.map(String)),
  );
  return figures;
}
