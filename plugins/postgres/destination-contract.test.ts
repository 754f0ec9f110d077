import { runDestinationContract } from "syncline/sdk/testing";
import { afterAll, beforeAll } from "vitest";
import { person } from "../sql-table/test-kit.ts";
import destination from "./destination.ts";
import { adminQuery, postgresReachable, TEST_POSTGRES_URL } from "./test-server.ts";

const TABLE = "syncline_pg_contract_dest";

beforeAll(async () => {
  if (!(await postgresReachable())) throw new Error(`these tests need Postgres at ${TEST_POSTGRES_URL}`);
  await adminQuery(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (id int PRIMARY KEY, email text, name text)`);
});
afterAll(async () => {
  await adminQuery(`DROP TABLE IF EXISTS ${TABLE}`);
});

const url = new URL(TEST_POSTGRES_URL);
runDestinationContract({
  name: "postgres (table)",
  plugin: destination,
  http: false,
  config: { url: TEST_POSTGRES_URL },
  // Trust authentication accepts any password here: an unknown role is the wrong credential.
  badConfig: { host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1), user: "nobody_x" },
  unreachableConfig: { url: "postgres://postgres@127.0.0.1:1/x" },
  secrets: ["url", "password"],
  object: TABLE,
  sampleRecords: [person(1), person(2), person(3)],
  makeRecord: (index) => person(1000 + index),
  readBack: async () => (await adminQuery(`SELECT id::text AS id FROM ${TABLE}`)).rows.map((row) => String(row.id)),
});
