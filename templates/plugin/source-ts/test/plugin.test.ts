// `npm test` runs this file with Node's test runner (`node --test`); `vitest run` runs it as
// well. runSourceContract registers Syncline's source contract against the fake warehouse:
// every type read as its canonical value, columns without rows, streaming in chunks with
// bounded memory, bad SQL and bad keys as configuration errors with a fix, cancellation on
// the warehouse when a run is aborted, secrets never logged.
import { deadUrl, duckdbPeopleSql, duckdbSeriesSql, duckdbTypesSql, runSourceContract } from "syncline/sdk/testing";
import * as v from "valibot";
import { FAKE_API_KEY, SLOW_MARKER, startFake } from "../src/fake.ts";
import plugin from "../src/index.ts";

let server: Awaited<ReturnType<typeof startFake>>;
let unreachable = "";
const config = (options: { apiKey?: string; baseUrl?: string } = {}) =>
  v.parse(plugin.config, { apiKey: FAKE_API_KEY, baseUrl: server.url, ...options });
const slowRunning = () => server.fake.running().some((sql) => sql.includes(SLOW_MARKER));

runSourceContract({
  name: "__PLUGIN_NAME__",
  plugin,
  config: () => config(),
  async setup() {
    server = await startFake();
    await server.fake.exec(duckdbPeopleSql(undefined, "marts"));
    unreachable = await deadUrl();
  },
  teardown: () => server.close(),
  sql: {
    types: duckdbTypesSql(),
    series: duckdbSeriesSql,
    slow: `SELECT 1 AS id, '${SLOW_MARKER}' AS marker`,
    syntaxError: "SELEC 1 AS id",
    missingTable: "SELECT * FROM no_such_table",
  },
  peopleTable: { schema: "marts", name: "people" },
  unreachableConfig: () => config({ baseUrl: unreachable }),
  badCredentialsConfig: () => config({ apiKey: "wrong-key" }),
  secrets: [FAKE_API_KEY],
  slowQueryRunning: async () => slowRunning(),
  slowQueryCancelled: async () => server.fake.cancelled.some((sql) => sql.includes(SLOW_MARKER)) && !slowRunning(),
});
