/**
 * The quick start's sync with its warehouse in Postgres instead of the embedded DuckDB: the same
 * 1,000 customers (the seed translated to Postgres's SQL), the same model, mapping and `file`
 * destination. A run of it loads the postgres connector and `pg` but never DuckDB, so it shows
 * what the sidecar costs without libduckdb's code mapped into the process (issue 16: a connector
 * and its SDK load only when a configured source or destination uses it).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { adminQuery, postgresReachable, TEST_POSTGRES_URL } from "../../plugins/postgres/test-server.ts";

const SCHEMA = "syncline_bench_startup";

/** examples/quickstart/seed.sql in Postgres's dialect: same rows, same values. */
const SEED = `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE;
CREATE SCHEMA ${SCHEMA};
CREATE TABLE ${SCHEMA}.customers AS
SELECT
  i AS id,
  'user' || i || '@example.com' AS email,
  (ARRAY['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'])[1 + i % 8] AS first_name,
  (ARRAY['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson'])[1 + (i / 8) % 8] AS last_name,
  (ARRAY['free', 'pro', 'enterprise'])[1 + i % 3] AS plan,
  round((i * 37) % 10000 / 7.0, 2)::numeric(12, 2) AS lifetime_value,
  TIMESTAMPTZ '2024-01-01 00:00:00+00' + make_interval(days => i % 365) AS signed_up_at,
  i % 11 = 0 AS churned
FROM generate_series(1, 1000) AS t(i);
ALTER TABLE ${SCHEMA}.customers ADD PRIMARY KEY (id);`;

interface QuickstartConfig {
  sources: Record<string, unknown>;
  syncs: { contacts: { source: string; model: { sql: string } } };
}

/**
 * Seeds Postgres and writes the config beside the package's quick start (its own state and
 * output); returns the config's path, or why it cannot: the column is then reported as not
 * measured, with the reason, and the quick start's own figures (the targets) still are.
 */
export async function postgresQuickstart(
  work: string,
  quickstartYaml: string,
): Promise<{ config: string } | { missing: string }> {
  if (!(await postgresReachable())) {
    return { missing: `no Postgres at ${TEST_POSTGRES_URL} (set SYNCLINE_TEST_POSTGRES_URL)` };
  }
  await adminQuery(SEED);
  const config = parse(readFileSync(quickstartYaml, "utf8")) as QuickstartConfig;
  const sync = config.syncs.contacts;
  config.sources = { [sync.source]: { type: "postgres", url: TEST_POSTGRES_URL } };
  sync.model.sql = sync.model.sql.replace(/\bFROM customers\b/, `FROM ${SCHEMA}.customers`);
  if (!sync.model.sql.includes(SCHEMA)) throw new Error("the quick start's model no longer reads `FROM customers`");
  const dir = join(work, "quickstart-postgres");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "syncline.yaml");
  writeFileSync(path, JSON.stringify(config, null, 2)); // JSON is YAML
  return { config: path };
}
