// Bad input for the database-table destinations, against the real Postgres and MariaDB: each
// case is a clear error naming what to fix (a failed run, a start refused, or one record
// rejected with the database's reason), and nothing is lost: what was not written is not
// counted as delivered.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminQuery as mysqlQuery, requireMysql, TEST_MYSQL_URL } from "../../plugins/mysql/test-server.ts";
import { adminQuery as pgQuery, postgresReachable, TEST_POSTGRES_URL } from "../../plugins/postgres/test-server.ts";
import { ledgerOf, Workspace } from "../support/connector-e2e.ts";

const S = "syncline_bad_table";
const MAPPING = { id: "id", email: "email", first_name: "first_name", last_name: "last_name" };
let ws: Workspace | undefined;

beforeAll(async () => {
  if (!(await postgresReachable())) throw new Error(`these tests need Postgres at ${TEST_POSTGRES_URL}`);
  await requireMysql();
  await pgQuery(`DROP SCHEMA IF EXISTS ${S} CASCADE; CREATE SCHEMA ${S};
    CREATE TABLE ${S}.people (id int PRIMARY KEY, email varchar(14) NOT NULL, first_name text, last_name text);
    CREATE TABLE ${S}.narrow (id int PRIMARY KEY, email text)`);
  await mysqlQuery(`DROP TABLE IF EXISTS bad_people;
    CREATE TABLE bad_people (id INT PRIMARY KEY, email VARCHAR(14) NOT NULL, first_name TEXT, last_name TEXT)`);
});
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});
afterAll(async () => {
  await pgQuery(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
  await mysqlQuery("DROP TABLE IF EXISTS bad_people");
});

const PG_URL = new URL(TEST_POSTGRES_URL);
const mysqlUrl = (password?: string) => {
  const url = new URL(TEST_MYSQL_URL);
  if (password) url.password = password;
  return url.toString();
};

async function runWith(destination: string, object: string, env: Record<string, string> = {}, options?: string) {
  ws = new Workspace();
  await ws.seed(12); // p10@example.com and longer do not fit varchar(14)
  ws.writeConfig({ destination, object, mapping: MAPPING, ...(options ? { syncOptions: options } : {}) });
  const app = await ws.open(env);
  const run = await app.engine.runNow("people");
  return { app, run };
}

describe("bad input: database-table destinations", () => {
  const PG = `type: postgres\nurl: ${TEST_POSTGRES_URL}\nconnectTimeoutMs: 2000`;
  const cases: Array<[string, string, string, string, RegExp]> = [
    [
      "postgres: missing table",
      PG,
      `${S}.nobody`,
      "failed",
      /"syncline_bad_table\.nobody" does not exist.*createTable/s,
    ],
    ["postgres: mapped column the table lacks", PG, `${S}.narrow`, "failed", /has no column "first_name", "last_name"/],
    [
      "postgres: unknown login",
      `type: postgres\nhost: ${PG_URL.hostname}\nport: ${PG_URL.port || 5432}\ndatabase: ${PG_URL.pathname.slice(1)}\nuser: nobody_here\npassword: \${PGPW}`,
      `${S}.people`,
      "failed",
      /nobody_here.*check `user` and `password`/s,
    ],
    ["mysql: missing table", `type: mysql\nurl: ${mysqlUrl()}`, "nobody", "failed", /"nobody" does not exist/],
    [
      "mysql: wrong password",
      `type: mysql\nurl: ${mysqlUrl()}\npassword: \${PGPW}`,
      "bad_people",
      "failed",
      /refused the login.*check `user` and `password`/s,
    ],
  ];

  it.each(cases)("%s", async (_name, destination, object, status, expected) => {
    const { app, run } = await runWith(destination, object, { PGPW: "hunter2-secret-pw" });
    expect(run.status).toBe(status);
    expect(run.error?.message).toMatch(expected);
    expect(JSON.stringify(run)).not.toContain("hunter2");
    // Nothing counted as delivered: the next run after the fix sends every record.
    expect(run.counts?.succeeded ?? { added: 0, changed: 0, removed: 0 }).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(ledgerOf(app)).toEqual([]);
  });

  it.each([
    ["postgres", PG, `${S}.people`, /value too long for type character varying\(14\)/],
    ["mysql", `type: mysql\nurl: ${mysqlUrl()}`, "bad_people", /Data too long for column 'email'/],
  ])(
    "%s: a value the column cannot hold rejects that record alone, with the reason",
    async (_db, destination, object, reason) => {
      const { app, run } = await runWith(destination, object);
      expect(run.status).toBe("partial");
      expect(run.counts?.succeeded.added).toBe(9);
      const ledger = ledgerOf(app);
      expect(ledger.map((entry) => entry.key).sort()).toEqual(["10", "11", "12"]);
      for (const entry of ledger) expect(entry.reason).toMatch(reason);
    },
  );

  it("postgres: an unreachable server leaves every record in the ledger with the network reason", async () => {
    const { app, run } = await runWith("type: postgres\nurl: postgres://postgres@127.0.0.1:1/x", `${S}.people`);
    expect(run.status).toBe("partial");
    expect(run.counts?.succeeded.added).toBe(0);
    const ledger = ledgerOf(app);
    expect(ledger).toHaveLength(12);
    for (const entry of ledger) {
      expect(entry).toMatchObject({ errorClass: "transient", errorCode: "network" });
      expect(entry.reason).toMatch(/ECONNREFUSED.*check `host`\/`port`/);
    }
  });

  it("createTable without key is refused at start, naming the option", async () => {
    const error = await runWith(PG, `${S}.fresh`, {}, "{ createTable: { columns: { id: integer } } }").catch((e) => e);
    expect(String(error?.describe?.() ?? error)).toMatch(/syncs\.people\.options.*createTable` needs `key`/s);
  });
});
