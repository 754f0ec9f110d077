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
