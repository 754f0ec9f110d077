import { runDestinationContract } from "syncline/sdk/testing";
import { afterAll, beforeAll } from "vitest";
import { person } from "../sql-table/test-kit.ts";
import mysql from "./index.ts";
import { adminQuery, requireMysql, TEST_MYSQL_URL } from "./test-server.ts";

const TABLE = "syncline_contract";

beforeAll(async () => {
  await requireMysql();
  await adminQuery(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (id INT PRIMARY KEY, email TEXT, name TEXT)`);
});
afterAll(async () => {
  await adminQuery(`DROP TABLE IF EXISTS ${TABLE}`);
});

const wrong = new URL(TEST_MYSQL_URL);
wrong.password = "not-the-password";
runDestinationContract({
  name: "mysql (table)",
  plugin: mysql,
  http: false,
  config: { url: TEST_MYSQL_URL },
  badConfig: { url: wrong.toString() },
  unreachableConfig: { url: "mysql://root@127.0.0.1:1/x" },
  secrets: ["url", "password"],
  object: TABLE,
  sampleRecords: [person(1), person(2), person(3)],
  makeRecord: (index) => person(1000 + index),
  readBack: async () =>
    (await adminQuery<Array<{ id: number }>>(`SELECT id FROM ${TABLE}`)).map((row) => String(row.id)),
});
