import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { type CanonicalRow, keyOf, type OrderedRead, type RowTexts, silentLogger } from "syncline/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckDBConfig } from "./config.ts";
import plugin from "./index.ts";

/**
 * A first sync reads the model as texts DuckDB renders (OrderedRead.allRowTexts). Each text
 * must be exactly what the engine makes of the row's values (allRows): it is hashed into the
 * snapshot and sent. Rows DuckDB cannot render so must come as values instead.
 */
const dir = mkdtempSync(join(tmpdir(), "syncline-duckdb-row-texts-"));
const path = join(dir, "w.duckdb");
const ctx = {
  config: { path, readOnly: true } as DuckDBConfig,
  logger: silentLogger,
  signal: new AbortController().signal,
  state: new Map<string, unknown>(),
  baseDir: dir,
};
const COLUMNS = ["id", "s", "d", "dec", "ts", "tstz", "dt", "b", "j", "big", "u", "n", "i"];
// Destination fields in their canonical JSON order: integer-like names first, as JSON.stringify writes them.
const FIELDS = [["7", "i"], ...COLUMNS.map((c) => [`f_${c}`, c])] as Array<[string, string]>;

const STRINGS = [
  "plain",
  'quote " backslash \\ slash /',
  "tab\t newline\n return\r bell\u0007 nul-free \u001f unit",
  "unicode é 中文 😀 \u2028 \u2029 \u007f",
  "a backslash and u001F: \\u001F",
  "",
];
const DOUBLES = [
  "0.1",
  "-0.0",
  "1.5",
  "123456.789",
  "1e21",
  "1e-7",
  "0.000001",
  "0.00012345",
  "0.00009999",
  "999999999999999.9",
  "1e15",
  "1234567890123456.7",
  "'NaN'",
  "'Infinity'",
];
const JSONS = [`'{"a":1,"b":[1,2]}'`, `'{"b":1,"a":2}'`, `'{"a": 1}'`, `'[1.50, 2]'`, `'"text"'`, "NULL"];

beforeAll(async () => {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const list = (values: string[]) => `[${values.join(", ")}]`;
  await connection.run(`CREATE TABLE t AS SELECT
    r.i::BIGINT AS id,
    ${list(STRINGS.map((s) => `'${s.replaceAll("'", "''")}'`))}[1 + r.i % ${STRINGS.length}] AS s,
    ${list(DOUBLES.map((d) => `${d}::DOUBLE`))}[1 + r.i % ${DOUBLES.length}] AS d,
    (r.i * 1.25)::DECIMAL(12,3) AS dec,
    CASE WHEN r.i = 3 THEN TIMESTAMP '0900-01-01 00:00:00' - INTERVAL 1000 YEAR
      ELSE TIMESTAMP '2024-01-01 10:00:00.5' + to_microseconds(r.i * 1000) END AS ts,
    TIMESTAMPTZ '2024-06-01 00:00:00+02' + to_seconds(r.i) AS tstz,
    CASE WHEN r.i = 4 THEN DATE '12000-01-01' ELSE DATE '2024-01-01' + r.i::INTEGER END AS dt,
    r.i % 2 = 0 AS b,
    ${list(JSONS.map((j) => `${j}::JSON`))}[1 + r.i % ${JSONS.length}] AS j,
    CASE WHEN r.i % 5 = 0 THEN 9007199254740993 + r.i ELSE r.i END::HUGEINT::BIGINT AS big,
    uuid() AS u,
    NULL::VARCHAR AS n,
    (r.i % 7)::INTEGER AS i
    FROM range(1, 301) r(i)`);
  connection.closeSync();
  instance.closeSync();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(): Promise<OrderedRead> {
  const read = await plugin.readOrdered!(
    ctx,
    { kind: "table", relation: { name: "t" } },
    {
      primaryKey: ["id"],
      fields: [],
      columns: COLUMNS,
      allRows: true,
    },
  );
  for await (const _ of read!.chunks) {
    // the plan's pass over the keys
  }
  return read!;
}

/** What the engine makes of a row's values (src/engine/delta/record.ts). */
function texts(row: CanonicalRow) {
  const fields: CanonicalRow = {};
  for (const [field, column] of FIELDS) fields[field] = row[column] ?? null;
  return { key: keyOf(row, ["id"]), fields: JSON.stringify(fields), keyValues: JSON.stringify({ id: row.id }) };
}

describe("DuckDB's rows as texts (a first sync)", () => {
  it("renders each row exactly as the engine would, and gives the others as values", async () => {
    let r = await read();
    const expected = new Map<string, ReturnType<typeof texts>>();
    try {
      for await (const page of r.allRows!()) for (const row of page) expected.set(texts(row).key!, texts(row));
    } finally {
      await r.close();
    }
    r = await read();
    const pages: RowTexts[] = [];
    try {
      for await (const page of r.allRowTexts!(FIELDS)!) pages.push(page);
    } finally {
      await r.close();
      await plugin.close?.(ctx);
    }
    const rendered = pages.flatMap((p) =>
      p.keys.map((key, i) => ({ key: key!, fields: p.fields[i]!, keyValues: p.keyValues[i]! })),
    );
    const asValues = pages.flatMap((p) => p.rows.map((row) => texts(row)));
    expect(rendered.length + asValues.length).toBe(300);
    for (const row of [...rendered, ...asValues]) expect(row).toEqual(expected.get(row.key!));
    // The rows DuckDB cannot render as the engine does: unsorted or spaced JSON, a float
    // written with an exponent, a timestamp or date outside four-digit years.
    const set = new Set(asValues.map((row) => Number(row.key)));
    expect([...set].filter((id) => id === 3 || id === 4)).toEqual([3, 4]);
    expect(set.has(1 + JSONS.indexOf(`'{"b":1,"a":2}'`))).toBe(true);
    expect(rendered.length).toBeGreaterThan(60);
  });

  it("has no texts for a type without a canonical JSON (the engine reads allRows)", async () => {
    const r = await read();
    try {
      expect(
        r.allRowTexts!([
          ["x", "id"],
          ["y", "u"],
        ]),
      ).toBeDefined();
    } finally {
      await r.close();
    }
  });
});
