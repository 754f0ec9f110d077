import { DuckDBInstance } from "@duckdb/node-api";

/**
 * The delta scenario's warehouse: one DuckDB table `customers` with a realistic shape (ids,
 * an email, names, an integer, a decimal, a double, two timestamps and a JSON column).
 * Values are derived from the row number, so every run of the bench sees the same data.
 */
export const MAPPING: Record<string, string> = {
  account_id: "account_id",
  attributes: "attributes",
  email: "email",
  first_name: "first_name",
  last_name: "last_name",
  lifetime_value: "lifetime_value",
  score: "score",
  signed_up_at: "signed_up_at",
  updated_at: "updated_at",
};

/** MAPPING as the lines of a sync's `mapping:` block in YAML (indented for a sync under `syncs:`). */
export function mappingYaml(): string {
  return Object.entries(MAPPING)
    .map(([field, column]) => `      ${field}: ${column}`)
    .join("\n");
}

/** Mapped columns, in the order the baseline hashes them. */
export const COLUMNS = Object.values(MAPPING);

function rowsSql(from: string, to: string): string {
  // json_object keeps the keys in the order given: they are given sorted, as DuckDB's to_json
  // of a struct with sorted fields would produce (see BENCHMARKS.md on unsorted JSON keys).
  return `SELECT
    i::BIGINT AS id,
    (i % 50000)::INTEGER AS account_id,
    'user' || i || '@example.com' AS email,
    ['Ada','Grace','Alan','Edsger','Barbara','Donald','Margaret','Ken','Frances','Niklaus'][1 + i % 10] AS first_name,
    ['Lovelace','Hopper','Turing','Dijkstra','Liskov','Knuth','Hamilton','Thompson','Allen','Wirth'][1 + (i // 10) % 10]
      || '-' || (i % 997) AS last_name,
    ((hash(i) % 10000000)::DECIMAL(12,0) / 100)::DECIMAL(12,2) AS lifetime_value,
    ((hash(i * 7) % 100000) / 1000.0)::DOUBLE AS score,
    TIMESTAMPTZ '2019-01-01 00:00:00+00' + to_microseconds((hash(i * 3) % 150000000000000)::BIGINT) AS signed_up_at,
    TIMESTAMP '2024-01-01' + to_seconds((i * 37) % 31536000) AS updated_at,
    json_object('active', i % 3 <> 0, 'plan', ['free','pro','team'][1 + i % 3], 'seats', i % 50,
      'tags', CASE WHEN i % 4 = 0 THEN ['vip'] ELSE [] END) AS attributes
  FROM range(${from}, ${to}) t(i)`;
}

/** Version 1: rows 1..n. */
export function createSql(rows: number): string {
  return `CREATE OR REPLACE TABLE customers AS ${rowsSql("1", String(rows + 1))}`;
}

/** Version 2: 1% of rows changed, 0.1% added (new ids), 0.1% removed. */
export function changeSql(rows: number): string {
  return `
    UPDATE customers SET score = score + 1, updated_at = updated_at + INTERVAL 1 DAY WHERE id % 100 = 7;
    DELETE FROM customers WHERE id % 1000 = 3;
    INSERT INTO customers ${rowsSql(String(rows + 1), String(rows + 1 + Math.max(1, Math.floor(rows / 1000))))};`;
}

/** What the second run should find, for checking the engine's counts. */
export function expectedDelta(rows: number): { changed: number; added: number; removed: number } {
  const count = (modulo: number, rest: number) => Math.floor((rows - rest) / modulo) + (rest > 0 ? 1 : 0);
  return { changed: count(100, 7), removed: count(1000, 3), added: Math.max(1, Math.floor(rows / 1000)) };
}

type Delta = ReturnType<typeof expectedDelta>;

/** Throws unless a run planned exactly the expected delta; `run` names it in the message. */
export function checkPlanned(planned: Readonly<Record<string, number>>, expected: Delta, run: string): void {
  if (
    planned.added !== expected.added ||
    planned.changed !== expected.changed ||
    planned.removed !== expected.removed
  ) {
    throw new Error(`${run} planned ${JSON.stringify(planned)}, expected ${JSON.stringify(expected)}`);
  }
}

/** The baseline's hash of the mapped columns (what a user would write in SQL). */
export function baselineHashSql(alias: string): string {
  return `md5(concat_ws(chr(31), ${COLUMNS.map((c) => `${alias}.${c}::VARCHAR`).join(", ")}))`;
}

/** DuckDB's own 64-bit hash of the mapped columns (fast, but not stable across versions). */
export function fastHashSql(alias: string): string {
  return `hash(${COLUMNS.map((c) => `${alias}.${c}`).join(", ")})`;
}

/** The previous version's hashes, for the baseline (made from version 1, before the changes). */
export const SNAPSHOT_SQL = `CREATE OR REPLACE TABLE bench_snapshot AS
  SELECT id, ${baselineHashSql("m")} AS md5_hash, ${fastHashSql("m")} AS fast_hash FROM customers m`;

export async function runSql(path: string, sql: string, options: Record<string, string> = {}): Promise<void> {
  const instance = await DuckDBInstance.create(path, options);
  const connection = await instance.connect();
  try {
    await connection.run(sql);
    await connection.run("CHECKPOINT");
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
