import { deadUrl, duckdbPeopleSql, duckdbSeriesSql, duckdbTypesSql, runSourceContract } from "syncline/sdk/testing";
import * as v from "valibot";
import { PROJECT, SERVICE_ACCOUNT, SLOW_MARKER, serviceAccountKey, startFakeBigQuery } from "./fake/setup.ts";
import plugin from "./index.ts";

const bigquery = await startFakeBigQuery();
const { fake, keys } = bigquery;
const dead = await deadUrl();
const stranger = serviceAccountKey(SERVICE_ACCOUNT); // right email, unregistered key
const parse = (input: Record<string, unknown>) =>
  v.parse(plugin.config, { projectId: PROJECT, location: "EU", credentials: keys.reader.json, ...input });

const UNSUPPORTED = {
  c_num38_small: "BigQuery's integer type is INT64; a NUMERIC/BIGNUMERIC column is always a decimal",
} as const;

runSourceContract({
  name: "bigquery (real @google-cloud/bigquery against the REST fake)",
  plugin,
  config: () => parse({}),
  setup: () => fake.store.exec(duckdbPeopleSql(undefined, "marts")),
  teardown: async () => bigquery.close(),
  sql: {
    types: duckdbTypesSql(Object.keys(UNSUPPORTED)),
    series: duckdbSeriesSql,
    slow: `SELECT 1 AS id, '${SLOW_MARKER}' AS marker`,
    syntaxError: "SELEC 1 AS id",
    missingTable: "SELECT * FROM `marts`.`no_such_table`",
  },
  peopleTable: { database: PROJECT, schema: "marts", name: "people" },
  unsupportedTypes: UNSUPPORTED,
  nullValues: { c_array: [] }, // BigQuery has no NULL arrays: the API returns an empty one
  unreachableConfig: () => parse({ apiEndpoint: dead }),
  badCredentialsConfig: () => parse({ credentials: stranger.json }),
  secrets: [keys.reader.privateKey.split("\n")[5]!, stranger.privateKey.split("\n")[5]!],
  slowQueryRunning: async () => fake.running().some((sql) => sql.includes(SLOW_MARKER)),
  slowQueryCancelled: async () =>
    fake.cancelled.some((sql) => sql.includes(SLOW_MARKER)) && !fake.running().some((sql) => sql.includes(SLOW_MARKER)),
});
