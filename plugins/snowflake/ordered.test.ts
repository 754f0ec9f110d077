import assert from "node:assert/strict";
import { runOrderedReadSuite } from "syncline/sdk/testing";
import * as v from "valibot";
import { baseConfig, startFakeSnowflake } from "./fake/setup.ts";
import plugin from "./index.ts";

// Small result chunks, so the digests come through several chunk downloads.
const snowflake = await startFakeSnowflake({ chunkRows: 3, inlineRows: 2 });
const { fake } = snowflake;
const config = v.parse(plugin.config, baseConfig);

runOrderedReadSuite({
  name: "snowflake (real snowflake-sdk against the protocol fake)",
  plugin,
  config,
  fake,
  // Values whose text is no JSON (a raw control character) or has an exponent: the engine hashes those rows.
  misses: { c_double: [1e300, -1.5e-7], c_text: ["ctl\u0001"] },
  checkSent(sent) {
    // The model ran once (after a LIMIT 0 query for its types); the digests and the rows read
    // its stored result, the keys bound as one JSON array.
    assert.equal(sent.filter((sql) => sql.includes('FROM "moving"')).length, 2);
    assert.equal(sent.filter((sql) => sql.includes("RESULT_SCAN")).length, 2);
    assert.match(sent.at(-1)!, /FLATTEN\(INPUT => PARSE_JSON\(\?\)\)/);
  },
  declineCost: 1,
  keysPerQuery: 200_000,
  teardown: async () => snowflake.close(),
});
