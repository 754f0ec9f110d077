import { mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { type CanonicalRow, type DigestChunk, keyOf, type OrderedReadRequest, silentLogger } from "syncline/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashFields } from "../../src/engine/delta/hash.ts";
import type { DuckDBConfig } from "./config.ts";
import plugin from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-duckdb-ordered-"));
const ctx = {
  config: { path: join(dir, "w.duckdb"), readOnly: true } as DuckDBConfig,
  logger: silentLogger,
  signal: new AbortController().signal,
  state: new Map<string, unknown>(),
  baseDir: dir,
};

/** Columns of every supported type, with edge values; row 1 is NULLs. */
const TABLE = `CREATE TABLE t AS SELECT * FROM (VALUES
  (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (2, 42, 9007199254740993, 1.5, 1.50, 'héllo "wörld"\n\t\\/' || chr(1) || chr(127) || '😀', DATE '2024-02-29',
     TIMESTAMP '2024-01-02 03:04:05.123456', TIMESTAMPTZ '2024-01-02 05:04:05.5+02:00', true,
     '{"a":[1,2,{"c":"x","d":null}],"b":1}'::JSON, -12345678901234567890.123456789, 'a'::ENUM_T),
  (3, -7, -9223372036854775808, 'NaN'::DOUBLE, 2.00, '', DATE '0999-01-01', TIMESTAMP '1969-12-31 23:59:59.999999',
     TIMESTAMPTZ '2024-01-02 00:00:00+00', false, '{"b":1,"a":2}'::JSON, 0.000000001, 'b'::ENUM_T),
  (4, 0, 0, 0.1, -0.05, 'x', DATE '9999-12-31', TIMESTAMP '0001-01-01 00:00:00', TIMESTAMPTZ '2262-04-11 23:47:16.854775+00',
     NULL, '[1, 2.50, "x"]'::JSON, 100, NULL),
  (5, 1, 1, 1e300, 0.00, 'y', DATE '2000-01-01', TIMESTAMP '12000-01-01 00:00:00', NULL, true, '"text"'::JSON, -0.5, 'a'),
  (6, 2, 2, -3.0, 10.10, 'z', NULL, TIMESTAMP '2024-01-01 00:00:00.5', NULL, NULL, 'null'::JSON, 1, 'a'),
  (7, 3, 3, 1.5e-7, 99.99, 'w', NULL, NULL, NULL, NULL, '{}'::JSON, 2.5, 'a'),
  (8, 4, 4, 123456789012.375, 0.01, 'v' || chr(31), NULL, NULL, NULL, NULL, '1e2'::JSON, 3, 'a')
) v(id, c_int, c_big, c_double, c_dec, c_text, c_date, c_ts, c_tstz, c_bool, c_json, c_wide, c_enum)`;

const COLUMNS = [
  "id",
  "c_int",
  "c_big",
  "c_double",
  "c_dec",
  "c_text",
  "c_date",
  "c_ts",
  "c_tstz",
  "c_bool",
  "c_json",
  "c_wide",
  "c_enum",
  "c_int38",
];
const FIELDS = COLUMNS.slice(1).map((c) => [`f_${c}`, c] as const);

async function sql(statements: string): Promise<void> {
  const instance = await DuckDBInstance.create(ctx.config.path!);
  const connection = await instance.connect();
  await connection.run(statements);
  connection.closeSync();
  instance.closeSync();
}

/** Every row's digest chunk and index, and (by a second read of all the keys) its row. */
async function readAll(table: string, request: OrderedReadRequest) {
  const read = await plugin.readOrdered!(ctx, { kind: "table", relation: { name: table } }, request);
  expect(read).toBeDefined();
  const digests: Array<{ chunk: DigestChunk; index: number; key: string | undefined }> = [];
  for await (const chunk of read!.chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const key = keyOf(chunk.keyRow(i), request.primaryKey);
      // The shortcut the engine takes gives exactly the key it would build from the row.
      expect(chunk.key?.(i)).toBe(key);
      digests.push({ chunk, index: i, key });
    }
  }
  const byKey = new Map<string, CanonicalRow>();
  const keys = digests.flatMap((d) => (d.key === undefined ? [] : [d.key]));
  for await (const page of read!.rows([keys])) for (const row of page) byKey.set(keyOf(row, request.primaryKey)!, row);
  await read!.close();
  return digests.map((d) => ({ ...d, row: (d.key === undefined ? {} : byKey.get(d.key)) as CanonicalRow }));
}

function jsHash(row: CanonicalRow, fields: ReadonlyArray<readonly [string, string]>): string {
  const out: CanonicalRow = {};
  for (const [field, column] of fields) out[field] = row[column] ?? null;
  return hashFields(JSON.stringify(out));
}

beforeAll(async () => {
  await sql(`CREATE TYPE ENUM_T AS ENUM ('a', 'b'); ${TABLE.replace("c_wide, c_enum)", "c_wide, c_enum)")};
    ALTER TABLE t ALTER c_wide TYPE DECIMAL(38,9); ALTER TABLE t ALTER c_dec TYPE DECIMAL(10,2);
    ALTER TABLE t ADD COLUMN c_int38 DECIMAL(38,0);
    UPDATE t SET c_int38 = CASE id WHEN 2 THEN 42 WHEN 3 THEN 12345678901234567890123456789012345678 WHEN 4 THEN -7 END;
    CREATE TABLE d AS SELECT i AS id, (random() - 0.5) * pow(10, (random() * 30 - 15)::INTEGER) AS x FROM range(20000) r(i);`);
});
afterAll(() => plugin.close?.(ctx));

describe("DuckDB ordered read (hashes computed in SQL)", () => {
  it("computes the engine's hash for every supported type, and reads rows exactly as read() does", async () => {
    const rows = await readAll("t", { primaryKey: ["id"], fields: FIELDS, columns: COLUMNS });
    const plain: CanonicalRow[] = [];
    for await (const chunk of plugin.read(ctx, { kind: "table", relation: { name: "t" } }, { columns: COLUMNS }))
      plain.push(...chunk);
    const byId = new Map(plain.map((row) => [row.id, row]));
    const mismatches: string[] = [];
    for (const { chunk, index, row } of rows) {
      expect(row).toEqual(byId.get(row.id as number));
      const hash = jsHash(row, FIELDS);
      expect(chunk.hashIs(index, hashFields("something else"))).toBe(false);
      expect(chunk.hashIs(index, "")).toBe(false);
      if (!chunk.hashIs(index, hash)) mismatches.push(String(row.id));
    }
    // Only rows with a value DuckDB writes differently fall back to the engine's own hashing:
    // unsorted or spaced JSON (3, 4), year 12000 (5), \u001F and 1e2 in JSON (8). A double with
    // an exponent (1.5e-07, 7) is written as JavaScript writes it (1.5e-7).
    expect(mismatches).toEqual(["3", "4", "5", "8"]);
  });

  it("writes timestamps exactly as the engine does, from year 1 to 9999, before 1970 and in any zone", async () => {
    await sql(`CREATE OR REPLACE TABLE ts AS SELECT * FROM (VALUES
      (1, TIMESTAMP '1969-12-31 23:59:59.999999', TIMESTAMPTZ '1969-12-31 23:59:59.5-05:00'),
      (2, TIMESTAMP '0001-01-01 00:00:00', TIMESTAMPTZ '0001-01-01 00:00:00+00'),
      (3, TIMESTAMP '9999-12-31 23:59:59.999999', TIMESTAMPTZ '9999-12-31 23:59:59.999999+00'),
      (4, TIMESTAMP '1900-02-28 12:00:00.000100', TIMESTAMPTZ '2024-02-29 23:30:00.120000+01:30'),
      (5, TIMESTAMP '0999-06-15 01:02:03.04', TIMESTAMPTZ '2000-01-01 00:00:00.000001+14:00')
    ) v(id, t, tz)`);
    const fields = [
      ["t", "t"],
      ["tz", "tz"],
    ] as const;
    const rows = await readAll("ts", { primaryKey: ["id"], fields, columns: ["id", "t", "tz"] });
    const mismatches = rows.filter(({ chunk, index, row }) => !chunk.hashIs(index, jsHash(row, fields)));
    expect(mismatches.map((r) => r.row)).toEqual([]);
  });

  it("never reports a wrong hash as equal, and matches most doubles exactly", async () => {
    const rows = await readAll("d", { primaryKey: ["id"], fields: [["x", "x"]], columns: ["id", "x"] });
    let matched = 0;
    for (const { chunk, index, row } of rows) {
      if (chunk.hashIs(index, jsHash(row, [["x", "x"]]))) matched++;
      const other = (row.x as number) * (1 + Number.EPSILON * 4);
      expect(chunk.hashIs(index, hashFields(JSON.stringify({ x: other })))).toBe(other === row.x);
    }
    expect(matched / rows.length).toBeGreaterThan(0.5);
  });

  it("orders rows by the key's canonical text, as the engine and SQLite compare it", async () => {
    await sql(`CREATE OR REPLACE TABLE k AS SELECT * FROM (VALUES (10, 'b'), (9, 'a'), (100, 'é'), (NULL, 'n'), (1, 'a'), (2, 'Z'))
      v(id, s)`);
    const rows = await readAll("k", { primaryKey: ["id"], fields: [["s", "s"]], columns: ["id", "s"] });
    const keys = rows.map(({ chunk, index }) => keyOf(chunk.keyRow(index), ["id"]));
    expect(keys).toEqual(["1", "10", "100", "2", "9", undefined]);
    const composite = await readAll("k", { primaryKey: ["s", "id"], fields: [], columns: ["s", "id"] });
    const texts = composite.map(({ chunk, index }) => keyOf(chunk.keyRow(index), ["s", "id"]));
    const defined = texts.filter((t): t is string => t !== undefined);
    expect(defined).toEqual([...defined].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  });

  it("orders and returns keys that DuckDB's CSV quotes, and composite keys with a NULL part as invalid", async () => {
    await sql(`CREATE OR REPLACE TABLE q AS SELECT * FROM (VALUES ('a,b', 1), ('say "hi"', 2), ('two' || chr(10) || 'lines', 3),
      ('', 4), (NULL, 5), ('é😀', 6), ('"', NULL)) v(s, n)`);
    const rows = await readAll("q", { primaryKey: ["s"], fields: [["n", "n"]], columns: ["s", "n"] });
    const keys = rows.map((r) => r.key);
    expect(keys).toEqual([undefined, '"', "a,b", 'say "hi"', "two\nlines", "é😀", undefined]);
    for (const { chunk, index, row } of rows.filter((r) => r.key !== undefined)) {
      expect(chunk.hashIs(index, jsHash(row, [["n", "n"]]))).toBe(true);
    }
    const composite = await readAll("q", { primaryKey: ["s", "n"], fields: [], columns: ["s", "n"] });
    expect(composite.filter((r) => r.key === undefined)).toHaveLength(3);
    expect(composite.map((r) => r.key).filter(Boolean)).toContain(JSON.stringify(["two\nlines", 3]));
  });

  it("leaves no digest file behind, spills where tempDirectory says, and keeps DuckDB's thread count", async () => {
    const temp = join(dir, "spill");
    const local = { ...ctx, config: { ...ctx.config, tempDirectory: "spill", threads: 2 }, state: new Map() };
    mkdirSync(temp);
    const model = { kind: "table", relation: { name: "d" } } as const;
    const read = await plugin.readOrdered!(local, model, {
      primaryKey: ["id"],
      fields: [["x", "x"]],
      columns: ["id", "x"],
    });
    let rows = 0;
    for await (const chunk of read!.chunks) {
      rows += chunk.length;
      expect(readdirSync(temp).filter((f) => f.startsWith("syncline-digest-"))).toHaveLength(1);
    }
    expect(rows).toBe(20000);
    for await (const _ of read!.rows([["1", "2"]])) {
      // drain
    }
    await read!.close();
    expect(readdirSync(temp).filter((f) => f.startsWith("syncline-digest-"))).toEqual([]);
  });

  it("removes the digest directories a killed process left behind, not those of a running one", async () => {
    const temp = join(dir, "spill-stale");
    const left = ["syncline-digest-999999999-dead", `syncline-digest-${process.pid}-earlier`, "syncline-digest-1-live"];
    for (const name of left) mkdirSync(join(temp, name), { recursive: true });
    const local = { ...ctx, config: { ...ctx.config, tempDirectory: temp }, state: new Map() };
    const model = { kind: "table", relation: { name: "d" } } as const;
    const read = await plugin.readOrdered!(local, model, {
      primaryKey: ["id"],
      fields: [["x", "x"]],
      columns: ["id", "x"],
    });
    const during = readdirSync(temp);
    await read!.close();
    expect(during).not.toContain(left[0]);
    expect(during).not.toContain(left[1]);
    expect(during).toContain(left[2]); // process 1 runs
    expect(during.filter((f) => f.startsWith(`syncline-digest-${process.pid}-`))).toHaveLength(1); // this read's
    expect(readdirSync(temp)).toEqual([left[2]]);
  });

  it("stops the sort when the run is cancelled, and removes its file", async () => {
    const controller = new AbortController();
    const temp = join(dir, "spill-cancelled");
    mkdirSync(temp);
    const local = {
      ...ctx,
      config: { ...ctx.config, tempDirectory: temp },
      signal: controller.signal,
      state: new Map(),
    };
    await sql("CREATE OR REPLACE TABLE big AS SELECT i AS id, md5(i::VARCHAR) AS v FROM range(3000000) r(i)");
    const read = await plugin.readOrdered!(
      local,
      { kind: "table", relation: { name: "big" } },
      {
        primaryKey: ["id"],
        fields: [["v", "v"]],
        columns: ["id", "v"],
      },
    );
    setTimeout(() => controller.abort(), 50);
    await expect(async () => {
      for await (const _ of read!.chunks) {
        // drain
      }
    }).rejects.toMatchObject({ kind: "transient", code: "cancelled" });
    await read!.close();
    expect(readdirSync(temp)).toEqual([]);
  });

  it("declines models with types it cannot hash", async () => {
    await sql("CREATE OR REPLACE TABLE u AS SELECT 1 AS id, [1, 2] AS l, 1.5::FLOAT AS f");
    const model = { kind: "table", relation: { name: "u" } } as const;
    expect(
      await plugin.readOrdered!(ctx, model, { primaryKey: ["id"], fields: [["l", "l"]], columns: ["id", "l"] }),
    ).toBeUndefined();
    expect(
      await plugin.readOrdered!(ctx, model, { primaryKey: ["id"], fields: [["f", "f"]], columns: ["id", "f"] }),
    ).toBeUndefined();
  });
});
