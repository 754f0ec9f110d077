import { PEOPLE } from "./source-contract.ts";

/**
 * The source contract's fixtures in the SQL the fake executes (DuckDB's dialect), for
 * tests that drive the real driver against the fake.
 */
export function duckdbTypesSql(omit: readonly string[] = []): string {
  const values = [
    "1 AS id",
    "42::INTEGER AS c_int",
    "9007199254740993::BIGINT AS c_bigint",
    "(-9223372036854775808)::BIGINT AS c_bigint_min",
    "'12345678901234567890123456789012345678'::DECIMAL(38,0) AS c_num38",
    "42::DECIMAL(38,0) AS c_num38_small",
    "1.5::DOUBLE AS c_float",
    "'NaN'::DOUBLE AS c_float_nan",
    "'12345678901234567890.123456789'::DECIMAL(38,9) AS c_decimal",
    "1.50::DECIMAL(10,2) AS c_decimal_trailing",
    "2.00::DECIMAL(10,2) AS c_decimal_integral",
    "DATE '2024-02-29' AS c_date",
    "TIMESTAMP '2024-01-02 03:04:05.123456' AS c_ts",
    "TIMESTAMP '1969-12-31 23:59:59.999999' AS c_ts_old",
    "TIMESTAMPTZ '2024-01-02 05:04:05.5+02:00' AS c_tstz",
    "true AS c_bool",
    `'héllo "world"' AS c_text`,
    `'{"b":1,"a":[1,2,{"d":null,"c":"x"}]}'::JSON AS c_json`,
    "[1, 2, 3] AS c_array",
    "{'y': 'a', 'x': 1} AS c_struct",
    "'\\xDE\\xAD\\xBE\\xEF'::BLOB AS c_binary",
  ].filter((value) => !omit.some((column) => value.endsWith(` AS ${column}`)));
  const nulls = values.map((_, i) => (i === 0 ? "2" : "NULL"));
  return `SELECT ${values.join(", ")} UNION ALL SELECT ${nulls.join(", ")}`;
}

export function duckdbSeriesSql(n: number): string {
  return `SELECT range::INTEGER AS id, 'k' || (range % 7) AS k1, (range % 1000)::INTEGER AS k2, repeat('x', 200) AS pad FROM range(1, ${n + 1})`;
}

/** Creates `<catalog>.<schema>.people` with the PEOPLE rows (DuckDB). */
export function duckdbPeopleSql(catalog: string | undefined, schema: string): string {
  const rows = PEOPLE.map(
    (p) => `('${p.region}', ${p.id}, '${p.name}', ${p.score === null ? "NULL" : p.score}, TIMESTAMP '${p.updatedAt}')`,
  );
  const qualified = `${catalog ? `"${catalog}".` : ""}"${schema}"`;
  return `${catalog ? `ATTACH IF NOT EXISTS ':memory:' AS "${catalog}";` : ""}
CREATE SCHEMA IF NOT EXISTS ${qualified};
CREATE OR REPLACE TABLE ${qualified}.people (region VARCHAR, id INTEGER, name VARCHAR, score DECIMAL(10,2), updated_at TIMESTAMP);
INSERT INTO ${qualified}.people VALUES ${rows.join(", ")};`;
}

/**
 * A table of the plain types every SQL source's ordered read renders (integers of any width,
 * decimals, doubles, text, booleans, dates, timestamps with and without zone), with edge
 * values and a row of NULLs (id 1), in the SQL the fakes execute: for tests that compare a
 * warehouse's hashes with the engine's, one column at a time.
 */
export const ORDERED_TYPE_COLUMNS = [
  "c_int",
  "c_big",
  "c_dec",
  "c_int38",
  "c_double",
  "c_text",
  "c_bool",
  "c_date",
  "c_ts",
  "c_tstz",
];

export function duckdbOrderedTypesSql(table: string): string {
  const rows = [
    "(1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    `(2, 42, 9007199254740993, 1.50, 12345678901234567890123456789012345678, 0.1, 'héllo "wörld" \\ ok', true,
      DATE '2024-02-29', TIMESTAMP '2024-01-02 03:04:05.123456', TIMESTAMPTZ '2024-01-02 05:04:05.5+02:00')`,
    `(3, -7, -9223372036854775808, 2.00, 42, 100.0, 'line' || chr(10) || 'break' || chr(9) || 'tab' || chr(13), false,
      DATE '1999-01-01', TIMESTAMP '1969-12-31 23:59:59.999999', TIMESTAMPTZ '2024-01-02 00:00:00+00')`,
    `(4, 0, 0, -0.05, -7, 'NaN', '😀 ünïcödé </script> ' || chr(8232), NULL, DATE '9999-12-31',
      TIMESTAMP '1000-01-01 00:00:00', TIMESTAMPTZ '1900-01-01 00:00:00+00')`,
    "(5, 1, 1, 0.00, 0, 1e300, 'ctl' || chr(1), true, DATE '2000-01-01', TIMESTAMP '2000-01-01 00:00:00.1', NULL)",
    "(6, 2, -9007199254740991, 10.10, 1, -1.5e-7, '', NULL, NULL, NULL, NULL)",
    "(7, 3, 3, 99.99, 2, 'Infinity', 'x', NULL, NULL, NULL, NULL)",
    "(8, 4, 4, 0.01, 3, -0.0, 'y', NULL, NULL, NULL, NULL)",
    "(9, 5, 5, -99999999.99, 4, 123456789012.375, 'z', NULL, NULL, NULL, NULL)",
  ];
  return `CREATE OR REPLACE TABLE ${table} (id INTEGER, c_int INTEGER, c_big BIGINT, c_dec DECIMAL(10,2),
    c_int38 DECIMAL(38,0), c_double DOUBLE, c_text VARCHAR, c_bool BOOLEAN, c_date DATE, c_ts TIMESTAMP, c_tstz TIMESTAMPTZ);
    INSERT INTO ${table} VALUES ${rows.join(",\n")}`;
}

/** Keys to order: text in bytes' order (ASCII, accents, private use, emoji, digits), NULL and empty keys. */
export function duckdbOrderedKeysSql(table: string): string {
  return `CREATE OR REPLACE TABLE ${table} (k VARCHAR, g INTEGER, v VARCHAR);
    INSERT INTO ${table} VALUES ('b', 1, 'x'), ('B', 1, 'y'), ('a', 2, 'z'), ('é', 1, NULL), ('e', NULL, 'w'),
      ('a' || chr(57344), 1, 'v'), ('a😀', 1, 'u'), ('10', 1, 't'), ('9', 2, 's'), (NULL, 1, 'r'), ('', 3, 'q'), ('Z', 1, 'p')`;
}
