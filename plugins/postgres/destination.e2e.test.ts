// Postgres as a destination end to end: a real syncline.yaml, a DuckDB model, the real engine
// and the local Postgres server.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { describeRun, ledgerOf, renameSql, Workspace } from "../../test/support/connector-e2e.ts";
import { adminQuery, postgresReachable, TEST_POSTGRES_URL } from "./test-server.ts";

const S = "syncline_pg_dest_e2e";
const APP = "syncline_dest_e2e";
const MAPPING = { id: "id", email: "email", first_name: "first_name", last_name: "last_name" };
let ws: Workspace;

async function setup(rows: number, mode: "upsert" | "mirror" = "upsert") {
  ws = new Workspace();
  await ws.seed(rows);
  ws.writeConfig({
    destination: `type: postgres
url: \${PG_URL}
applicationName: ${APP}
batchSize: 100`,
    object: `${S}.people`,
    mode,
    mapping: MAPPING,
  });
  return ws.open({ PG_URL: TEST_POSTGRES_URL });
}

async function held() {
  return (await adminQuery(`SELECT id, email, first_name, last_name FROM ${S}.people ORDER BY id`)).rows;
}

async function expected(except: number[] = []) {
  return [...(await ws.people()).values()].filter((person) => !except.includes(person.id));
}

describe("Postgres destination end to end", () => {
  beforeAll(async () => {
    if (!(await postgresReachable())) throw new Error(`these tests need Postgres at ${TEST_POSTGRES_URL}`);
  });
  beforeEach(async () => {
    await adminQuery(`DROP SCHEMA IF EXISTS ${S} CASCADE; CREATE SCHEMA ${S};
      CREATE TABLE ${S}.people (id integer PRIMARY KEY, email varchar(40) NOT NULL UNIQUE, first_name text,
        last_name text CHECK (last_name <> 'Last13'))`);
  });
  afterEach(async () => {
    await ws?.close();
  });
  afterAll(async () => {
    await adminQuery(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
  });

  it("syncs the model into the table, then only the delta, and rejects the one row the table refuses", async () => {
    const app = await setup(250);
    const first = await app.engine.runNow("people");
    expect(first.status, describeRun(first)).toBe("partial");
    expect(first.counts?.succeeded.added).toBe(249);
    const ledger = ledgerOf(app);
    expect(ledger.map((entry) => [entry.key, entry.errorCode])).toEqual([["13", "23514"]]);
    expect(ledger[0]?.reason).toMatch(/people_last_name_check/);
    expect(await held()).toEqual(await expected([13]));

    await ws.sql(`${renameSql([3, 77, 140])}; INSERT INTO people VALUES (251, 'new@example.com', 'N', 'One')`);
    const delta = await app.engine.runNow("people");
    expect(delta.status, describeRun(delta)).toBe("partial");
    expect(delta.counts?.succeeded).toMatchObject({ added: 1, changed: 3 });
    expect(await held()).toEqual(await expected([13]));
  });

  it("mirror mode deletes the rows that left the model", async () => {
    const app = await setup(120, "mirror");
    await ws.sql("UPDATE people SET last_name = 'L' WHERE id = 13");
    const first = await app.engine.runNow("people");
    expect(first.status, describeRun(first)).toBe("succeeded");
    await ws.sql("DELETE FROM people WHERE id IN (5, 6, 99)");
    const run = await app.engine.runNow("people");
    expect(run.status, describeRun(run)).toBe("succeeded");
    expect(run.counts?.succeeded.removed).toBe(3);
    expect(await held()).toEqual(await expected());
  });

  it("fails the run naming a missing column, losing nothing", async () => {
    await adminQuery(`ALTER TABLE ${S}.people DROP COLUMN first_name`);
    const app = await setup(20);
    const run = await app.engine.runNow("people");
    expect(run.status).toBe("failed");
    expect(run.error?.message).toMatch(/no column "first_name"/);
    expect((await adminQuery(`SELECT count(*)::int AS n FROM ${S}.people`)).rows).toEqual([{ n: 0 }]);
  });

  it("releases its pooled connections when Syncline closes", async () => {
    const app = await setup(10);
    expect((await app.engine.runNow("people")).status).toBe("succeeded");
    const count = () =>
      adminQuery<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [APP]);
    expect((await count()).rows[0]?.n).toBeGreaterThan(0);
    await ws.close();
    const open = await count();
    expect(open.rows[0]?.n).toBe(0);
  });
});
