import { PEOPLE, type TYPE_CASES } from "syncline/sdk/testing";

/** The contract's fixtures in Postgres SQL (also used by the cross-source test). */
export const POSTGRES_TYPES_SQL = (() => {
  const values = [
    "1 AS id",
    "42::int AS c_int",
    "9007199254740993::bigint AS c_bigint",
    "(-9223372036854775808)::bigint AS c_bigint_min",
    "12345678901234567890123456789012345678::numeric(38,0) AS c_num38",
    "42::numeric(38,0) AS c_num38_small",
    "1.5::float8 AS c_float",
    "'NaN'::float8 AS c_float_nan",
    "12345678901234567890.123456789::numeric(38,9) AS c_decimal",
    "1.50::numeric(10,2) AS c_decimal_trailing",
    "2.00::numeric(10,2) AS c_decimal_integral",
    "DATE '2024-02-29' AS c_date",
    "TIMESTAMP '2024-01-02 03:04:05.123456' AS c_ts",
    "TIMESTAMP '1969-12-31 23:59:59.999999' AS c_ts_old",
    "TIMESTAMPTZ '2024-01-02 05:04:05.5+02:00' AS c_tstz",
    "true AS c_bool",
    `'héllo "world"'::text AS c_text`,
    `'{"b":1,"a":[1,2,{"d":null,"c":"x"}]}'::jsonb AS c_json`,
    "ARRAY[1,2,3] AS c_array",
    "'\\xdeadbeef'::bytea AS c_binary",
  ];
  const nulls = values.map((_, i) => (i === 0 ? "2" : "NULL"));
  return `SELECT ${values.join(", ")} UNION ALL SELECT ${nulls.join(", ")}`;
})();

export const POSTGRES_UNSUPPORTED = {
  c_struct: "Postgres has no anonymous struct type; models use json/jsonb for nested values",
} as const satisfies Partial<Record<keyof typeof TYPE_CASES, string>>;

export function postgresSeriesSql(n: number): string {
  return `SELECT g AS id, 'k' || (g % 7) AS k1, g % 1000 AS k2, repeat('x', 200) AS pad FROM generate_series(1, ${n}) AS g`;
}

export function postgresPeopleSql(schema: string): string {
  const rows = PEOPLE.map(
    (p) => `('${p.region}', ${p.id}, '${p.name}', ${p.score === null ? "NULL" : p.score}, TIMESTAMP '${p.updatedAt}')`,
  );
  return `DROP SCHEMA IF EXISTS ${schema} CASCADE;
CREATE SCHEMA ${schema};
CREATE TABLE ${schema}.people (region text, id integer, name text, score numeric(10,2), updated_at timestamp, PRIMARY KEY (region, id));
INSERT INTO ${schema}.people VALUES ${rows.join(", ")};`;
}
