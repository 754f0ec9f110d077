import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BenchArgs } from "../lib/args.ts";
import { CLI_RUNTIME } from "../lib/child.ts";
import { unpackedPackage } from "../lib/package.ts";
import { median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";
import { freePort } from "../service/scenario.ts";
import { type RunFigures, runOnce, type ServeFigures, serveOnce } from "./measure.ts";
import { postgresQuickstart } from "./postgres.ts";

const HERE = import.meta.dirname;
const ROOT = join(HERE, "..", "..");
/** How long the service rests after /readyz (and its `--run` at start) before its RSS is read. */
const REST_MS = 2000;

/** Issue 16's targets for the built package on the quick start. */
export const TARGETS = { overheadMs: 400, readyzMs: 300, restRssMb: 80, runPeakRssMb: 100 } as const;

type Figures = RunFigures & ServeFigures;

export interface StartupFigures {
  repetitions: number;
  sources: Figures;
  dist: Figures;
  /** dist started as the container image starts it: Node given the memory settings, no re-execution. */
  image: Figures;
  /** dist on the quick start's sync with its warehouse in Postgres: DuckDB never loaded. */
  postgres: Figures | undefined;
  /** Why the Postgres column was not measured (no Postgres reachable). */
  postgresMissing?: string;
  /** dist / sources, per measure. */
  ratio: Record<keyof Figures, number>;
  /** Each target of issue 16, met or not by the package (dist). */
  verdicts: Record<keyof typeof TARGETS, { target: number; dist: number; met: boolean }>;
}

/** The quick start as the package ships it (examples/quickstart), in a directory of its own. */
function quickstart(work: string): string {
  const dir = join(work, "quickstart");
  mkdirSync(dir, { recursive: true });
  for (const file of ["syncline.yaml", "seed.sql"]) {
    copyFileSync(join(work, "package", "examples", "quickstart", file), join(dir, file));
  }
  return join(dir, "syncline.yaml");
}

/**
 * Scenario 6: start-up and the small sidecar, on the quick start config (a DuckDB warehouse
 * seeded on first use, the `file` destination). The built package (dist/) against the
 * TypeScript sources, runs alternating: `syncline run contacts` (wall time, process overhead,
 * peak RSS) and `syncline serve --run contacts` as `npm start` runs it (time to /readyz, RSS
 * after the start-up run and a rest). Beside them, the package on the same sync with its
 * warehouse in Postgres (postgres.ts): the sidecar without DuckDB's code in the process.
 */
export async function startupScenario(args: BenchArgs): Promise<StartupFigures> {
  const work = join(HERE, "..", ".work", "startup");
  const dist = join(unpackedPackage(work), "bin", "syncline.js");
  const sources = join(ROOT, "bin", "syncline.js");
  const port = await freePort();
  const config = quickstart(work);
  const repetitions = args.quick ? 3 : 7;
  const pg = await postgresQuickstart(work, config);
  const postgres = "config" in pg ? pg.config : undefined;
  const samples = {
    sources: [] as Figures[],
    dist: [] as Figures[],
    image: [] as Figures[],
    postgres: [] as Figures[],
  };
  await runOnce(dist, config, "contacts", work); // seeds the warehouse, creates the state; not measured
  if (postgres) await runOnce(dist, postgres, "contacts", work); // creates its state; not measured
  for (let i = 0; i < repetitions; i++) {
    for (const [side, cli, launch] of [
      ["sources", sources, {}],
      ["dist", dist, {}],
      // As the container image starts it (Dockerfile): Node given the memory settings, no re-execution.
      ["image", dist, CLI_RUNTIME],
      ["postgres", dist, {}],
    ] as const) {
      const file = side === "postgres" ? postgres : config;
      if (!file) continue;
      const run = await runOnce(cli, file, "contacts", work, launch);
      const serve = await serveOnce(cli, file, port, REST_MS, ["--run", "contacts"], launch);
      samples[side].push({ ...run, ...serve });
    }
  }
  const keys = Object.keys(samples.dist[0]!) as (keyof Figures)[];
  const medians = (list: Figures[]) =>
    Object.fromEntries(keys.map((key) => [key, round(median(list.map((f) => f[key])), 1)])) as unknown as Figures;
  const figures = {
    repetitions,
    sources: medians(samples.sources),
    dist: medians(samples.dist),
    image: medians(samples.image),
    postgres: postgres ? medians(samples.postgres) : undefined,
    ...("missing" in pg ? { postgresMissing: pg.missing } : {}),
  };
  const ratio = Object.fromEntries(
    keys.map((key) => [key, round(figures.dist[key] / figures.sources[key], 2)]),
  ) as StartupFigures["ratio"];
  const measured = { ...figures.dist, runPeakRssMb: figures.dist.peakRssMb };
  const verdicts = Object.fromEntries(
    Object.entries(TARGETS).map(([key, target]) => {
      const value = measured[key as keyof typeof measured];
      return [key, { target, dist: value, met: value <= target }];
    }),
  ) as StartupFigures["verdicts"];
  print(figures, ratio, verdicts);
  return { ...figures, ratio, verdicts };
}

function print(
  {
    sources,
    dist,
    image,
    postgres,
    postgresMissing,
    repetitions,
  }: Pick<StartupFigures, "sources" | "dist" | "image" | "postgres" | "postgresMissing" | "repetitions">,
  ratio: StartupFigures["ratio"],
  verdicts: StartupFigures["verdicts"],
): void {
  const verdict = (key: keyof typeof TARGETS) => `≤ ${verdicts[key].target}: ${verdicts[key].met ? "met" : "NOT met"}`;
  const rows: [string, keyof Figures, string][] = [
    ["syncline run contacts, spawn to exit (ms)", "runMs", ""],
    ["  of which process overhead (ms)", "overheadMs", verdict("overheadMs")],
    ["  peak RSS (MB)", "peakRssMb", verdict("runPeakRssMb")],
    ["syncline serve --run contacts, spawn to /readyz 200 (ms)", "readyzMs", verdict("readyzMs")],
    [`  RSS at rest, ${REST_MS / 1000} s after /readyz (MB)`, "restRssMb", verdict("restRssMb")],
    ["    of which private (RssAnon)", "restAnonMb", ""],
    ["    of which mapped files (RssFile)", "restFileMb", ""],
  ];
  printTable(
    `6. Start-up and the small sidecar, quick start config: the package (dist/) against the sources, medians of ${repetitions}`,
    [
      "measure",
      "sources",
      "dist",
      "dist / sources",
      "target (dist)",
      "dist, as the image starts it",
      "dist, warehouse in Postgres",
    ],
    rows.map(([label, key, target]) => [
      label,
      String(sources[key]),
      String(dist[key]),
      String(ratio[key]),
      target,
      String(image[key]),
      postgres ? String(postgres[key]) : "not measured",
    ]),
  );
  if (postgresMissing) console.log(`the Postgres column was not measured: ${postgresMissing}`);
}
