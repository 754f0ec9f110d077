import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { syncSpec } from "../../../../test/support/sync-spec.ts";
import { dialectFor } from "../../../sdk/sql/dialects.ts";
import type { SyncSpec } from "../../shared/sync-spec.ts";
import { tablesFor } from "./names.ts";
import { Statements } from "./statements.ts";

const spec = (overrides: Partial<SyncSpec> = {}): SyncSpec =>
  syncSpec({
    name: "people",
    model: { kind: "sql", sql: "SELECT * FROM t" },
    primaryKey: ["id"],
    object: "people",
    mapping: [
      ["a", "a"],
      ["b", "b"],
    ],
    ...overrides,
  });

async function duck<T>(use: (query: (sql: string) => Promise<unknown[][]>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return await use(async (sql) => (await connection.runAndReadAll(sql)).getRowsJS());
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("table names from sync names", () => {
  it("are lowercase [a-z0-9_], cut to length, and distinct for names that differ only in case or punctuation", () => {
    const names = ["people", "People", "people!", "peo-ple", `x${"y".repeat(200)}`, 'we"ird`na.me; DROP TABLE x'];
    const tables = names.map((name) => tablesFor(name, "syncline").snapshot.name);
    for (const table of tables) expect(table).toMatch(/^snap_[a-z0-9_]{1,40}_[0-9a-f]{8}$/);
    expect(new Set(tables).size).toBe(names.length);
    expect(tablesFor("people", "custom")).toEqual({
      snapshot: { schema: "custom", name: tables[0] },
      journal: { schema: "custom", name: tables[0]!.replace("snap_", "jrnl_") },
    });
  });
});

describe("dialects", () => {
  it("quote every identifier the way each warehouse escapes it", () => {
    expect(dialectFor("duckdb").quoteIdent('a"b')).toBe('"a""b"');
    expect(dialectFor("postgres").quoteIdent('a"b')).toBe('"a""b"');
    expect(dialectFor("snowflake").quoteIdent('a"b')).toBe('"a""b"');
    expect(dialectFor("bigquery").quoteIdent("a`b\\c")).toBe("`a\\`b\\\\c`");
    expect(dialectFor("bigquery").table({ schema: "s", name: "t" })).toBe("`s`.`t`");
  });

  it("write string literals each warehouse reads back exactly", () => {
    const text = "it's a \\ back\nslash";
    expect(dialectFor("duckdb").literal(text)).toBe("'it''s a \\ back\nslash'");
    expect(dialectFor("postgres").literal(text)).toBe("'it''s a \\ back\nslash'");
    expect(dialectFor("snowflake").literal(text)).toBe("'it''s a \\\\ back\nslash'");
    expect(dialectFor("bigquery").literal(text)).toBe("'it\\'s a \\\\ back\\nslash'");
    expect(dialectFor("bigquery").literal(null)).toBe("NULL");
  });

  it("generate one commit transaction per dialect", () => {
    for (const name of ["duckdb", "postgres", "snowflake", "bigquery"] as const) {
      const statements = new Statements(dialectFor(name), spec(), tablesFor("people", "syncline")).applyJournal();
      expect(statements).toHaveLength(4);
      expect(statements[0]).toMatch(/^BEGIN/);
      expect(statements[3]).toMatch(/^COMMIT/);
    }
  });
});

describe("the hash expression (DuckDB)", () => {
  const statements = new Statements(dialectFor("duckdb"), spec(), tablesFor("people", "syncline"));

  it("is injective: separators, empty strings and NULLs inside values never collide", async () => {
    const rows: Array<[string | null, string | null]> = [
      ["a,b", "c"],
      ["a", "b,c"],
      ["a|", "b"],
      ["a", "|b"],
      [null, ""],
      ["", null],
      [null, null],
      ["", ""],
      ["n", null],
      ["1", "1,"],
      ["1,1", ""],
    ];
    const values = rows.map(([a, b]) => `(${lit(a)}, ${lit(b)})`).join(", ");
    const hashes = await duck(async (query) =>
      (await query(`SELECT ${statements.hashExpression("t")} FROM (VALUES ${values}) AS t(a, b)`)).map((r) => r[0]),
    );
    expect(new Set(hashes).size).toBe(rows.length);
  });

  it("stays injective when safe types (numbers, timestamps) are written as their own text", async () => {
    const types = new Map([
      ["a", "INTEGER"],
      ["b", "VARCHAR"],
    ]);
    const typed = new Statements(dialectFor("duckdb"), spec(), tablesFor("people", "syncline"), types);
    const rows = [
      "(1, '2')",
      "(12, NULL)",
      "(NULL, '12')",
      "(1, NULL)",
      "(NULL, NULL)",
      "(NULL, '')",
      "(1, chr(31) || '2')",
    ];
    const hashes = await duck(async (query) =>
      (await query(`SELECT ${typed.hashExpression("t")} FROM (VALUES ${rows.join(", ")}) AS t(a, b)`)).map((r) => r[0]),
    );
    expect(new Set(hashes).size).toBe(rows.length);
    expect(typed.hashExpression("t")).toContain(`COALESCE(CAST(t."a" AS VARCHAR), '')`);
    expect(typed.hashExpression("t")).toContain(`to_json(CAST(t."b" AS VARCHAR))`);
  });

  it("is deterministic for equal values of every common type, and changes with any of them", async () => {
    const typed = new Statements(dialectFor("duckdb"), spec(), tablesFor("people", "syncline"));
    const sql = (a: string, b: string) => `SELECT ${typed.hashExpression("t")} FROM (SELECT ${a} AS a, ${b} AS b) AS t`;
    await duck(async (query) => {
      const pairs: Array<[string, string]> = [
        ["TIMESTAMPTZ '2024-01-02 05:04:05.5+02:00'", "TIMESTAMPTZ '2024-01-02 03:04:05.5+00:00'"],
        ["1.50::DECIMAL(10,2)", "1.50::DECIMAL(10,2)"],
        ["[1, 2]", "[1, 2]"],
        ["{'x': 1}", "{'x': 1}"],
      ];
      await query("SET SESSION TimeZone = 'UTC'");
      for (const [left, right] of pairs) {
        expect(await query(sql(left, "1"))).toEqual(await query(sql(right, "1")));
        expect(await query(sql(left, "1"))).not.toEqual(await query(sql(left, "2")));
      }
    });
  });
});

describe("the key expression (DuckDB)", () => {
  it("writes keys as local mode does: the value, or a JSON array for a composite key; NULL when unusable", async () => {
    const single = new Statements(dialectFor("duckdb"), spec(), tablesFor("p", "syncline"));
    const composite = new Statements(
      dialectFor("duckdb"),
      spec({ primaryKey: ["id", "email"] }),
      tablesFor("p", "syncline"),
    );
    await duck(async (query) => {
      const key = async (s: Statements, id: string, email: string) =>
        (await query(`SELECT ${s.keyExpression("t")} FROM (SELECT ${id} AS id, ${email} AS email) AS t`))[0]![0];
      expect(await key(single, "42", "NULL")).toBe("42");
      expect(await key(single, "'abc'", "NULL")).toBe("abc");
      expect(await key(single, "''", "NULL")).toBeNull();
      expect(await key(single, "NULL::INTEGER", "NULL")).toBeNull();
      const email = `quote " back \\ ünï`;
      expect(await key(composite, "1", lit(email))).toBe(JSON.stringify([1, email]));
      expect(await key(composite, "1", "''")).toBeNull();
      expect(await key(composite, "NULL::INTEGER", "'x'")).toBeNull();
    });
  });
});

describe("integer keys (DuckDB)", () => {
  it("join on the integer only when the key text is one written canonically", async () => {
    const d = dialectFor("duckdb");
    const texts = ["7", "-12", "0", "007", "-0", "7.0", "abc", "99999999999999999999", ""];
    const out = await duck(async (query) =>
      (
        await query(`SELECT ${d.integerOf("t")} FROM (VALUES ${texts.map((t) => `(${lit(t)})`).join(", ")}) AS v(t)`)
      ).map((row) => (row[0] === null ? null : String(row[0]))),
    );
    expect(out).toEqual(["7", "-12", "0", null, null, null, null, null, null]);
    const types = new Map([["id", "INTEGER"]]);
    expect(new Statements(d, spec(), tablesFor("p", "syncline"), types).delta()).toContain(`ON m.sl_k0 = s."k"`);
    expect(new Statements(d, spec(), tablesFor("p", "syncline")).delta()).toContain(`ON m.sl_mk = s."key"`);
  });
});

function lit(value: string | null): string {
  return value === null ? "NULL::VARCHAR" : `'${value.replaceAll("'", "''")}'`;
}
