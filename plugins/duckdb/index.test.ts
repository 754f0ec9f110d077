import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { duckdbPeopleSql, duckdbSeriesSql, duckdbTypesSql, runSourceContract } from "syncline/sdk/testing";
import * as v from "valibot";
import plugin from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-duckdb-contract-"));
writeFileSync(join(dir, "seed.sql"), duckdbPeopleSql(undefined, "marts"));
const parse = (input: Record<string, unknown>) => v.parse(plugin.config, input);
let cancelled = false;

runSourceContract({
  name: "duckdb",
  plugin,
  config: () => parse({ path: join(dir, "warehouse.duckdb"), seed: join(dir, "seed.sql") }),
  sql: {
    types: duckdbTypesSql(),
    series: duckdbSeriesSql,
    // Runs for minutes before its first row; interrupting the connection stops it.
    slow: "SELECT count(*) AS id FROM range(100000000000)",
    syntaxError: "SELEC 1 AS id",
    missingTable: "SELECT * FROM no_such_table",
  },
  peopleTable: { schema: "marts", name: "people" },
  unreachableConfig: () => parse({ path: join(dir, "missing", "nope.duckdb") }),
  slowQueryCancelled: async () => {
    cancelled = true;
    return cancelled;
  },
});
