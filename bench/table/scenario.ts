/**
 * Scenario 8 (`--only=table`): rows/s into a Postgres table through the `postgres`
 * destination with its default config (5,000-row batches, 4 connections, so 4 batches in
 * flight), against the target of 50,000 rows/s. The plugin alone (upserts of new rows, then
 * upserts that change every row), then a whole first sync through the engine from a DuckDB
 * model. Needs the local Postgres (SYNCLINE_TEST_POSTGRES_URL).
 */
import type { DestinationRecord, WriteBatch } from "syncline/sdk";
import { makeDestinationContext } from "syncline/sdk/testing";
import destination from "../../plugins/postgres/destination.ts";
import { adminQuery, postgresReachable, TEST_POSTGRES_URL } from "../../plugins/postgres/test-server.ts";
import { Workspace } from "../../test/support/connector-e2e.ts";
import type { BenchArgs } from "../lib/args.ts";
import { median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";

const TARGET = 50_000;
const S = "syncline_bench_table";
const TABLE = `CREATE TABLE ${S}.people (id bigint PRIMARY KEY, email text NOT NULL, first_name text,
  last_name text, score numeric(12,2), updated_at timestamptz)`;

export interface TableFigures {
  rows: number;
  target: number;
  insert: { rowsPerSecond: number; share: number };
  update: { rowsPerSecond: number; share: number };
  engine: { rowsPerSecond: number; share: number };
}

function record(id: number, round: number): DestinationRecord {
  return {
    key: String(id),
    keyValues: { id },
    fields: {
      id,
      email: `p${id}@example.com`,
      first_name: `First${id}`,
      last_name: `Last${id}-${round}`,
      score: `${id % 1000}.${round}5`,
      updated_at: "2024-01-02T03:04:05.123456Z",
    },
  };
}

/** Seconds to upsert `rows` records, batches of maxRecords, `concurrency` batches in flight. */
async function pluginRun(rows: number, round: number): Promise<number> {
  const ctx = makeDestinationContext(destination, { url: TEST_POSTGRES_URL });
  const caps =
    typeof destination.capabilities === "function" ? destination.capabilities(ctx.config) : destination.capabilities;
  const size = caps.maxRecords;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < rows) {
      const from = next;
      next += size;
      const records = Array.from({ length: Math.min(size, rows - from) }, (_, i) => record(from + i + 1, round));
      const batch: WriteBatch = { object: `${S}.people`, operation: "upsert", records, options: {} };
      const outcomes = await destination.write(ctx, batch);
      if (outcomes.some((o) => o.status !== "ok")) throw new Error("table bench: a record was not written");
    }
  };
  await Promise.all(Array.from({ length: caps.concurrency ?? 1 }, worker));
  const seconds = (performance.now() - started) / 1000;
  await destination.close?.(ctx);
  return seconds;
}

/** Seconds for a first sync of `rows` model rows from DuckDB through the engine. */
async function engineRun(rows: number): Promise<number> {
  const ws = new Workspace();
  try {
    await ws.seed(rows);
    ws.writeConfig({
      destination: "type: postgres\nurl: ${PG_URL}",
      object: `${S}.people`,
      batchSize: 5_000,
      mapping: { id: "id", email: "email", first_name: "first_name", last_name: "last_name" },
    });
    const app = await ws.open({ PG_URL: TEST_POSTGRES_URL });
    const started = performance.now();
    const run = await app.engine.runNow("people");
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== "succeeded") throw new Error(`table bench: the sync ended ${run.status}`);
    return seconds;
  } finally {
    await ws.close();
  }
}

const reset = () => adminQuery(`DROP SCHEMA IF EXISTS ${S} CASCADE; CREATE SCHEMA ${S}; ${TABLE}`);

export async function tableScenario(args: BenchArgs): Promise<TableFigures | undefined> {
  if (!(await postgresReachable())) throw new Error(`the table scenario needs Postgres at ${TEST_POSTGRES_URL}`);
  const rows = args.quick ? 50_000 : 200_000;
  const inserts: number[] = [];
  const updates: number[] = [];
  const engine: number[] = [];
  for (let i = 0; i < args.repeat; i++) {
    await reset();
    inserts.push(rows / (await pluginRun(rows, 1)));
    updates.push(rows / (await pluginRun(rows, 2)));
    await reset();
    engine.push(rows / (await engineRun(rows)));
  }
  await adminQuery(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
  const figure = (samples: number[]) => {
    const rowsPerSecond = Math.round(median(samples));
    return { rowsPerSecond, share: round(rowsPerSecond / TARGET, 2) };
  };
  const figures = { rows, target: TARGET, insert: figure(inserts), update: figure(updates), engine: figure(engine) };
  printTable(
    `8. Into a Postgres table (postgres destination, default config; medians of ${args.repeat})`,
    ["case", "rows", "rows/s", "× target (50,000 rows/s)"],
    [
      ["plugin: upsert, new rows", rows, figures.insert.rowsPerSecond, figures.insert.share],
      ["plugin: upsert, every row changed", rows, figures.update.rowsPerSecond, figures.update.share],
      ["engine: first sync from DuckDB", rows, figures.engine.rowsPerSecond, figures.engine.share],
    ],
  );
  return figures;
}
