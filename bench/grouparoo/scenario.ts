/**
 * Scenario 14 (`--only=grouparoo`): Grouparoo's workload — a 100,000-row Postgres table synced
 * to the `file` destination — timed as whole `syncline run` processes (spawn to exit): a first
 * sync, then a second one after 1% of the rows changed (0.1% added and 0.1% removed too), with
 * the command of the package as npm installs it (what users run; bench/lib/package.ts). The
 * delta by the ordered merge (the postgres source's ordered read: keys and hashes from
 * Postgres, only changed rows fetched) against the same source without it (lookups: every row
 * read, hashed and staged in JavaScript). Grouparoo 0.9's recorded figures for the same
 * workload stand beside them. Needs the local Postgres (SYNCLINE_TEST_POSTGRES_URL).
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { adminQuery, postgresReachable, TEST_POSTGRES_URL } from "../../plugins/postgres/test-server.ts";
import type { BenchArgs } from "../lib/args.ts";
import { unpackedPackage } from "../lib/package.ts";
import { median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";

const HERE = import.meta.dirname;
const WORK = join(HERE, "..", ".work");
const S = "syncline_bench_grouparoo";
/** Grouparoo 0.9 on this workload, as recorded (issue 16): seconds. */
const GROUPAROO = { first: 1_092, second: 652 };
/** Issue 16's targets, whole process: seconds. */
const TARGET = { first: 2.2, second: 1.3 };

export interface GrouparooFigures {
  rows: number;
  grouparoo: typeof GROUPAROO;
  target: typeof TARGET;
  /** Medians, seconds. */
  ordered: { first: Timing; second: Timing };
  lookup: { first: Timing; second: Timing };
}

const createSql = (rows: number) => `DROP SCHEMA IF EXISTS ${S} CASCADE; CREATE SCHEMA ${S};
  CREATE TABLE ${S}.profiles AS SELECT g::bigint AS id, 'user' || g || '@example.com' AS email,
    'First' || g AS first_name, 'Last' || (g % 5000) AS last_name, ((g * 37) % 100000) / 100.0 AS ltv,
    TIMESTAMPTZ '2024-01-01 00:00:00+00' + make_interval(secs => (g * 97) % 31536000) AS signed_up_at,
    (ARRAY['free','pro','team'])[1 + g % 3] AS plan, g % 7 <> 0 AS active
  FROM generate_series(1, ${rows}) AS g;
  ALTER TABLE ${S}.profiles ADD PRIMARY KEY (id), ALTER ltv TYPE numeric(12,2)`;

/** 1% of the rows changed, 0.1% removed and 0.1% added. */
const changeSql = (rows: number) => `UPDATE ${S}.profiles SET last_name = last_name || '-x' WHERE id % 100 = 3;
  DELETE FROM ${S}.profiles WHERE id % 1000 = 7;
  INSERT INTO ${S}.profiles SELECT g, 'new' || g || '@example.com', 'New', 'Person', 1.5, now(), 'pro', true
    FROM generate_series(${rows + 1}, ${rows + rows / 1000}) AS g`;

/**
 * The package's postgres source without its ordered read (so the delta is computed by
 * lookups), as a local plugin.
 */
const lookupPlugin = (
  pkg: string,
) => `import postgres from ${JSON.stringify(join(pkg, "dist", "plugins", "postgres", "index.js"))};
const { readOrdered: _, ...lookupOnly } = postgres;
export default { ...lookupOnly, name: "postgres-lookup" };
`;

/** The sync's config: the table to a `file` destination, through source type `type`. */
function writeConfig(dir: string, type: string, pkg: string): string {
  writeFileSync(join(dir, "postgres-lookup.mjs"), lookupPlugin(pkg));
  const mapping = ["email", "first_name", "last_name", "ltv", "signed_up_at", "plan", "active"];
  const yaml = {
    state: "./state.db",
    plugins: ["./postgres-lookup.mjs"],
    sources: { pg: { type, url: TEST_POSTGRES_URL } },
    destinations: { out: { type: "file", path: "./out" } },
    syncs: {
      profiles: {
        source: "pg",
        model: { table: `${S}.profiles` },
        primaryKey: "id",
        destination: "out",
        object: "profiles",
        mode: "mirror",
        deleteGuard: { maxPercent: 100 },
        mapping: Object.fromEntries(mapping.map((column) => [column, column])),
      },
    },
  };
  const path = join(dir, "syncline.yaml");
  writeFileSync(path, JSON.stringify(yaml, null, 2)); // JSON is YAML
  return path;
}

interface Timing {
  /** Spawn to exit. */
  whole: number;
  /** The run itself (its startedAt → finishedAt): the rest is the process's start and exit. */
  run: number;
}

async function runOnce(cli: string, config: string): Promise<Timing> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, "run", "profiles", "--config", config, "--json"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const whole = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`grouparoo bench: syncline run exited ${code}: ${(stderr + stdout).slice(-800)}`);
  const summary = JSON.parse(stdout) as { status: string; durationMs: number };
  if (summary.status !== "succeeded") throw new Error(`grouparoo bench: the run ended ${summary.status}`);
  return { whole: round(whole, 2), run: summary.durationMs / 1000 };
}

async function pair(rows: number, type: string, pkg: string): Promise<{ first: Timing; second: Timing }> {
  const dir = join(WORK, `grouparoo-${type}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await adminQuery(createSql(rows));
  await adminQuery(`VACUUM ANALYZE ${S}.profiles`);
  const config = writeConfig(dir, type, pkg);
  const cli = join(pkg, "bin", "syncline.js");
  const first = await runOnce(cli, config);
  await adminQuery(changeSql(rows));
  const second = await runOnce(cli, config);
  return { first, second };
}

export async function grouparooScenario(args: BenchArgs): Promise<GrouparooFigures> {
  if (!(await postgresReachable())) throw new Error(`the grouparoo scenario needs Postgres at ${TEST_POSTGRES_URL}`);
  const rows = 100_000;
  const pkg = unpackedPackage(join(WORK, "grouparoo-package"));
  type Pair = { first: Timing; second: Timing };
  const samples: { ordered: Pair[]; lookup: Pair[] } = { ordered: [], lookup: [] };
  for (let i = 0; i < args.repeat; i++) {
    // Alternating, so a change in the machine's load weighs on both alike.
    samples.ordered.push(await pair(rows, "postgres", pkg));
    samples.lookup.push(await pair(rows, "postgres-lookup", pkg));
  }
  await adminQuery(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
  const at = (list: Pair[], run: "first" | "second", part: keyof Timing) =>
    round(median(list.map((s) => s[run][part])), 2);
  const medians = (list: Pair[]) => ({
    first: { whole: at(list, "first", "whole"), run: at(list, "first", "run") },
    second: { whole: at(list, "second", "whole"), run: at(list, "second", "run") },
  });
  const figures = {
    rows,
    grouparoo: GROUPAROO,
    target: TARGET,
    ordered: medians(samples.ordered),
    lookup: medians(samples.lookup),
  };
  const times = (seconds: number, grouparoo: number) => `${Math.round(grouparoo / seconds)}×`;
  const cell = (t: Timing) => `${t.whole} (run ${t.run})`;
  printTable(
    `14. Grouparoo's workload: Postgres ${rows.toLocaleString("en")} rows → file, whole process, s (medians of ${args.repeat})`,
    ["run", "Grouparoo 0.9", "target", "lookups", "ordered merge", "Grouparoo ÷ ordered"],
    (["first", "second"] as const).map((run) => [
      run,
      String(GROUPAROO[run]),
      `≤ ${TARGET[run]}`,
      cell(figures.lookup[run]),
      cell(figures.ordered[run]),
      times(figures.ordered[run].whole, GROUPAROO[run]),
    ]),
  );
  return figures;
}
