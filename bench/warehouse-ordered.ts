/**
 * The ordered read against the lookup path on the Snowflake and BigQuery protocol fakes (the
 * real drivers; the fakes run the SQL on DuckDB): a model of `rows` rows, a first run, then 1%
 * changed, 0.1% added and 0.1% removed, and the second run timed, once with each path. Not part
 * of `npm run bench`: the fakes' own cost (DuckDB, JSON encoding in the same process) stands in
 * for a warehouse's, so only the ratio within one run says something.
 *
 *   node --conditions=syncline-source bench/warehouse-ordered.ts [rows] [narrow|wide] [lookup-first]
 */
import * as v from "valibot";
import { PROJECT, startFakeBigQuery } from "../plugins/bigquery/fake/setup.ts";
import bigquery from "../plugins/bigquery/index.ts";
import { baseConfig, startFakeSnowflake } from "../plugins/snowflake/fake/setup.ts";
import snowflake from "../plugins/snowflake/index.ts";
import type { SourceDefinition } from "../src/sdk/source.ts";
import { FakeBackend } from "../test/support/fake-backend.ts";
import { Harness, people } from "../test/support/harness.ts";

const rows = Number(process.argv[2] ?? 100_000);
const wide = process.argv[3] === "wide";
const paths = process.argv[4] === "lookup-first" ? ["lookup", "ordered"] : ["ordered", "lookup"];
/** The wide model: ten columns, nine mapped (text, a decimal, a timestamp, a boolean). */
const WIDE = {
  sql: `SELECT id, email, name, version, 'Street ' || id || ', Springfield, ' || (id % 97) AS address,
    (version * 12.5)::DECIMAL(12,2) AS amount, TIMESTAMP '2024-01-01' + INTERVAL (id) SECOND AS created_at,
    id % 2 = 0 AS active, 'plan-' || (id % 5) AS plan, md5(name) AS token FROM people`,
  mapping: ["email", "name", "version", "address", "amount", "created_at", "active", "plan", "token"].map(
    (field) => [field, field] as [string, string],
  ),
};

// One fake at a time: each answers its service's host names through its own msw server.
const warehouses = {
  async snowflake() {
    const fake = await startFakeSnowflake();
    const config = v.parse(snowflake.config, baseConfig);
    const plugin = snowflake as SourceDefinition<unknown>;
    return { close: fake.close, backend: () => new FakeBackend("snowflake", fake.fake.store, plugin, config) };
  },
  async bigquery() {
    const fake = await startFakeBigQuery();
    const config = v.parse(bigquery.config, { projectId: PROJECT, location: "EU", credentials: fake.keys.reader.json });
    const plugin = bigquery as SourceDefinition<unknown>;
    return { close: fake.close, backend: () => new FakeBackend("bigquery", fake.fake.store, plugin, config) };
  },
};

for (const [name, start] of Object.entries(warehouses)) {
  const { backend, close } = await start();
  for (const path of paths) {
    const h = new Harness({
      backend,
      mode: "mirror",
      deleteGuard: { maxPercent: 100 },
      maxRecords: 1000,
      ...(wide ? WIDE : {}),
      wrapSource: path === "lookup" ? ({ readOrdered: _, ...rest }) => rest : undefined,
    });
    await h.setup();
    await h.sql(people(1, rows));
    await h.run();
    await h.sql(`UPDATE people SET version = 2 WHERE id % 100 = 0; DELETE FROM people WHERE id % 1000 = 1;
      ${people(rows + 1, rows + rows / 1000)}`);
    const started = performance.now();
    const second = await h.run();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(
      JSON.stringify({ name, path, model: wide ? "wide" : "narrow", rows, seconds, planned: second.counts?.planned }),
    );
    await h.close();
  }
  close();
}
process.exit(0);
