import { deadUrl, duckdbPeopleSql, duckdbSeriesSql, duckdbTypesSql, runSourceContract } from "syncline/sdk/testing";
import * as v from "valibot";
import { baseConfig, PASSWORD, SLOW_MARKER, startFakeSnowflake } from "./fake/setup.ts";
import plugin from "./index.ts";

const snowflake = await startFakeSnowflake();
const { fake } = snowflake;
const dead = await deadUrl();
const parse = (input: Record<string, unknown>) => v.parse(plugin.config, input);

runSourceContract({
  name: "snowflake (real snowflake-sdk against the protocol fake)",
  plugin,
  config: () => parse(baseConfig),
  setup: () => fake.store.exec(duckdbPeopleSql("ANALYTICS", "MARTS")),
  teardown: async () => snowflake.close(),
  sql: {
    types: duckdbTypesSql(),
    series: duckdbSeriesSql,
    slow: `SELECT 1 AS id, '${SLOW_MARKER}' AS marker`,
    syntaxError: "SELEC 1 AS id",
    missingTable: 'SELECT * FROM "ANALYTICS"."MARTS"."no_such_table"',
  },
  peopleTable: { database: "ANALYTICS", schema: "MARTS", name: "people" },
  unreachableConfig: () => parse({ ...baseConfig, accessUrl: dead, loginRetries: 0 }),
  badCredentialsConfig: () => parse({ ...baseConfig, password: "wrong-Pa55word" }),
  secrets: [PASSWORD, "wrong-Pa55word"],
  slowQueryRunning: async () => fake.running().some((sql) => sql.includes(SLOW_MARKER)),
  slowQueryCancelled: async () =>
    fake.aborted.some((sql) => sql.includes(SLOW_MARKER)) && !fake.running().some((sql) => sql.includes(SLOW_MARKER)),
});
