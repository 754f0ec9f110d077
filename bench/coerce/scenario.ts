import type { DiscoveredObject } from "../../src/sdk/destination.ts";
import { Harness } from "../../test/support/harness.ts";
import type { BenchArgs } from "../lib/args.ts";
import { median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";

/**
 * What checking values against the destination's fields costs a run: the same first run of a
 * model (text, integer, decimal-as-text, boolean-as-integer and timestamp columns) into an
 * in-process destination, with and without `discover` (then every value is coerced before
 * sending). The figure is the ratio of the medians; the target is below 1.15.
 */
export interface CoerceFigures {
  rows: number;
  runs: number;
  plainSeconds: number;
  coercedSeconds: number;
  ratio: number;
}

const OBJECT: DiscoveredObject = {
  name: "people",
  fields: [
    { name: "email", type: "string" },
    { name: "age", type: "integer" },
    { name: "revenue", type: "number" },
    { name: "vip", type: "boolean" },
    { name: "seen", type: "datetime" },
  ],
};

const SQL = `SELECT id, email, CAST(id % 90 AS VARCHAR) AS age, CAST(id * 1.5 AS VARCHAR) AS revenue,
  id % 2 AS vip, TIMESTAMP '2024-01-01' + INTERVAL (id) SECOND AS seen FROM people`;

async function once(rows: number, discover: boolean): Promise<number> {
  const harness = await new Harness({
    sql: SQL,
    maxRecords: 500,
    concurrency: 4,
    mapping: [
      ["age", "age"],
      ["email", "email"],
      ["revenue", "revenue"],
      ["seen", "seen"],
      ["vip", "vip"],
    ],
    ...(discover ? { discover: async () => [OBJECT] } : {}),
  }).setup();
  try {
    await harness.sql(
      `INSERT INTO people SELECT i, 'p' || i || '@example.com', 'Person ' || i, 1 FROM range(1, ${rows + 1}) t(i)`,
    );
    const started = performance.now();
    const run = await harness.run();
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== "succeeded") throw new Error(`coerce bench: run ${run.status}: ${run.error?.message}`);
    return seconds;
  } finally {
    await harness.close();
  }
}

export async function coerceScenario(args: BenchArgs): Promise<CoerceFigures> {
  const rows = args.quick ? 50_000 : 200_000;
  const runs = Math.max(3, args.repeat);
  const plain: number[] = [];
  const coerced: number[] = [];
  // Interleaved, so that drift on a shared machine hits both alike.
  for (let i = 0; i < runs; i++) {
    plain.push(await once(rows, false));
    coerced.push(await once(rows, true));
  }
  const figures: CoerceFigures = {
    rows,
    runs,
    plainSeconds: round(median(plain), 2),
    coercedSeconds: round(median(coerced), 2),
    ratio: round(median(coerced) / median(plain), 3),
  };
  printTable(
    `coerce: a first run of ${rows.toLocaleString("en-US")} rows, 5 mapped fields (median of ${runs})`,
    ["values sent", "seconds", "ratio"],
    [
      ["as read", figures.plainSeconds, 1],
      ["coerced to the fields' types", figures.coercedSeconds, figures.ratio],
    ],
  );
  return figures;
}
