import assert from "node:assert/strict";
import { runOrderedReadSuite } from "syncline/sdk/testing";
import * as v from "valibot";
import { PROJECT, startFakeBigQuery } from "./fake/setup.ts";
import plugin from "./index.ts";

const bigquery = await startFakeBigQuery();
const { fake } = bigquery;
// Small pages, so the digests come through several getQueryResults pages.
const credentials = bigquery.keys.reader.json;
const config = v.parse(plugin.config, { projectId: PROJECT, location: "EU", credentials, pageSize: 3 });

runOrderedReadSuite({
  name: "bigquery (real @google-cloud/bigquery against the REST fake)",
  plugin,
  config,
  fake,
  // Values whose text is no JSON (a raw control character) or has an exponent: the engine hashes those rows.
  misses: { c_double: [1e300, -1.5e-7], c_text: ["ctl\u0001"] },
  checkSent(sent) {
    // The model ran once (after a dry run for its types); the digests and the rows read the
    // job's result table, the keys an array parameter.
    assert.equal(sent.filter((sql) => sql.includes("FROM `moving`")).length, 2);
    assert.equal(sent.filter((sql) => sql.includes("`_anon`")).length, 2);
    assert.match(sent.at(-1)!, /UNNEST\(@keys\)/);
  },
  declineCost: 1,
  keysPerQuery: 50_000,
  teardown: async () => bigquery.close(),
});
