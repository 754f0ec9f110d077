// The canonical row hash is stored in every warehouse snapshot: a change to its SQL would make
// every row of every snapshot look changed. The fixture holds what the dialects wrote (SQL and
// hashes) before they became syncline/sdk/sql; both must stay byte-identical.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { dialectFor } from "./dialects.ts";

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "row-hash.fixture.json"), "utf8")) as {
  sql: Record<string, { typed: string; untyped: string }>;
  hashes: Record<string, { typed: string[]; untyped: string[] }>;
};
const POSTGRES_URL = process.env.SYNCLINE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const SQL_TYPES: Record<string, Record<string, string>> = {
  duckdb: { email: "VARCHAR", n: "DECIMAL(18,3)", t: "TIMESTAMP WITH TIME ZONE", j: "JSON", x: "STRUCT(a INTEGER)" },
  postgres: { email: "text", n: "numeric", t: "timestamptz", j: "jsonb", x: "text[]" },
  snowflake: { email: "TEXT", n: "NUMBER(18,3)", t: "TIMESTAMP_TZ", j: "VARIANT", x: "ARRAY" },
  bigquery: { email: "STRING", n: "NUMERIC", t: "TIMESTAMP", j: "JSON", x: "ARRAY<STRING>" },
};

function rowHash(name: string, columns: string[], types: Record<string, string>): string {
  const d = dialectFor(name as "duckdb");
  return d.rowHash(columns.map((column) => ({ expr: `src.${d.quoteIdent(column)}`, type: types[column] })));
}

describe("the canonical row hash", () => {
  it.each(Object.keys(SQL_TYPES))("%s: is the SQL it was, typed and untyped", (name) => {
    const columns = ["email", "n", "t", "j", "x", "untyped"];
    expect(rowHash(name, columns, SQL_TYPES[name]!)).toBe(fixture.sql[name]!.typed);
    expect(rowHash(name, columns, {})).toBe(fixture.sql[name]!.untyped);
  });

  const COLUMNS = ["email", "n", "t", "j", "b", "f"];
  const rows = (cast: (type: string) => string, types: Record<string, string>) => `SELECT * FROM (VALUES
 (1, 'ada@example.com', 1.500${cast(types.n!)}, TIMESTAMPTZ '2024-01-02 03:04:05.123456+00', '{"a":[1,2]}'${cast(types.j!)}, true, 0.1${cast(types.f!)}),
 (2, ${types === PG ? "E'quote \" back \\\\ ünï\\nx'" : "'quote \" back \\ ünï'||chr(10)||'x'"}, NULL, TIMESTAMPTZ '1969-12-31 23:59:59.5+02', NULL, false, -1e300${cast(types.f!)}),
 (3, '', 0${cast(types.n!)}, NULL, '[]'${cast(types.j!)}, NULL, NULL),
 (4, NULL, -42.125${cast(types.n!)}, TIMESTAMPTZ '9999-12-31 23:59:59.999999+00', 'null'${cast(types.j!)}, true, 3${cast(types.f!)})
) AS v(id, email, n, t, j, b, f)`;
  const DUCK = {
    n: "DECIMAL(18,3)",
    t: "TIMESTAMP WITH TIME ZONE",
    j: "JSON",
    b: "BOOLEAN",
    f: "DOUBLE",
    email: "VARCHAR",
  };
  const PG = { n: "numeric", t: "timestamptz", j: "jsonb", b: "boolean", f: "double precision", email: "text" };
  const query = (name: string, types: Record<string, string>) =>
    `SELECT ${rowHash(name, COLUMNS, types)} AS h FROM (${rows((type) => `::${type === "double precision" ? "float8" : type}`, name === "postgres" ? PG : DUCK)}) AS src ORDER BY src.id`;

  it("duckdb: hashes the fixture's rows as before", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      for (const statement of dialectFor("duckdb").sessionSetup()) await connection.run(statement);
      for (const [label, types] of [
        ["typed", DUCK],
        ["untyped", {}],
      ] as const) {
        const hashes = (await connection.runAndReadAll(query("duckdb", types))).getRowsJS().map((row) => row[0]);
        expect(hashes, label).toEqual(fixture.hashes.duckdb![label]);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("postgres: hashes the fixture's rows as before", async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      for (const [label, types] of [
        ["typed", PG],
        ["untyped", {}],
      ] as const) {
        await client.query("BEGIN");
        for (const statement of dialectFor("postgres").sessionSetup()) await client.query(statement);
        const result = await client.query<{ h: string }>(query("postgres", types));
        await client.query("COMMIT");
        expect(
          result.rows.map((row) => row.h),
          label,
        ).toEqual(fixture.hashes.postgres![label]);
      }
    } finally {
      await client.end();
    }
  });
});
