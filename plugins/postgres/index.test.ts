import { runSourceContract } from "syncline/sdk/testing";
import * as v from "valibot";
import { describe, it } from "vitest";
import { requireService } from "../../test/support/services.ts";
import { POSTGRES_TYPES_SQL, POSTGRES_UNSUPPORTED, postgresPeopleSql, postgresSeriesSql } from "./fixtures.ts";
import plugin from "./index.ts";
import { adminQuery, TEST_POSTGRES_URL } from "./test-server.ts";

const SCHEMA = "syncline_pg_contract";
const MARKER = "syncline_pg_contract_slow";
const reachable = await requireService("postgres");

const activeSlowQueries = async () => {
  const result = await adminQuery<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()",
    [`%${MARKER}%`],
  );
  return Number(result.rows[0]!.n);
};

if (!reachable) {
  describe("source contract: postgres", () => {
    it.skip(`skipped: no Postgres at ${TEST_POSTGRES_URL} (see the warning above)`, () => undefined);
  });
} else {
  runSourceContract({
    name: "postgres",
    plugin,
    config: () => parse({ url: TEST_POSTGRES_URL }),
    setup: async () => {
      await adminQuery(postgresPeopleSql(SCHEMA));
    },
    teardown: async () => {
      await adminQuery(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    },
    sql: {
      types: POSTGRES_TYPES_SQL,
      series: postgresSeriesSql,
      slow: `SELECT 1 AS id FROM pg_sleep(60) /* ${MARKER} */`,
      syntaxError: "SELEC 1 AS id",
      missingTable: `SELECT * FROM ${SCHEMA}.no_such_table`,
    },
    peopleTable: { schema: SCHEMA, name: "people" },
    unsupportedTypes: POSTGRES_UNSUPPORTED,
    unreachableConfig: () => parse({ host: "127.0.0.1", port: 1, user: "postgres", database: "test" }),
    badCredentialsConfig: () => parse({ ...serverFields(), user: "no_such_user", password: "s3cret-Pa55word" }),
    secrets: ["s3cret-Pa55word"],
    slowQueryRunning: async () => (await activeSlowQueries()) > 0,
    slowQueryCancelled: async () => (await activeSlowQueries()) === 0,
  });
}

function parse(input: Record<string, unknown>) {
  return v.parse(plugin.config, input);
}

/** The test server's host, port and database as separate fields. */
function serverFields() {
  const url = new URL(TEST_POSTGRES_URL);
  return { host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1) };
}
