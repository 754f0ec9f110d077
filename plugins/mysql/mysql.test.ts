import type { DestinationContext } from "syncline/sdk";
import { makeDestinationContext, rejection } from "syncline/sdk/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as check from "../sql-table/test-checks.ts";
import { batchesOf, person, statuses } from "../sql-table/test-kit.ts";
import type { MysqlConfig } from "./config.ts";
import plugin from "./index.ts";
import { adminQuery, requireMysql, TEST_MYSQL_URL } from "./test-server.ts";

const contexts: DestinationContext<MysqlConfig>[] = [];

function context(config: Record<string, unknown> = {}): DestinationContext<MysqlConfig> {
  const ctx = makeDestinationContext(plugin, { url: TEST_MYSQL_URL, ...config });
  contexts.push(ctx);
  return ctx;
}

const batch = batchesOf("people");

/** The suite's tables, written through a new destination instance unless `ctx` is given. */
const target = (ctx = context()): check.TableTarget => ({
  write: (records) => plugin.write(ctx, records),
  batch,
  rows: (sql) => rows(sql),
  pairs: "pairs",
});

const rows = (sql = "SELECT id, email, name FROM people ORDER BY id") => adminQuery(sql);

describe("mysql destination against the local MariaDB", () => {
  beforeAll(requireMysql);
  beforeEach(async () => {
    await adminQuery(`DROP TABLE IF EXISTS people, pairs, created;
      CREATE TABLE people (id INT PRIMARY KEY, email VARCHAR(40) NOT NULL UNIQUE, name TEXT,
        score INT CHECK (score >= 0), seen DATETIME(6), created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB;
      CREATE TABLE pairs (region VARCHAR(8), id INT, label TEXT, PRIMARY KEY (region, id)) ENGINE=InnoDB`);
  });
  afterAll(async () => {
    for (const ctx of contexts) await plugin.close?.(ctx);
    await adminQuery("DROP TABLE IF EXISTS people, pairs, created");
  });

  it("updates only the columns a record carries (changed fields only, nulls skipped)", async () => {
    await check.expectPartialUpdates(target());
  });

  it("upserts in multi-row statements: inserts new rows, updates existing ones", async () => {
    const ctx = context();
    await check.expectUpserts(target(ctx), { seen: "2024-01-02T03:04:05.5+02:00" });
    expect(await rows("SELECT seen FROM people WHERE id = 2")).toEqual([{ seen: "2024-01-02 01:04:05.500000" }]);
  });

  it("inserts, rejecting a duplicate key with the server's message", async () => {
    const ctx = context();
    await plugin.write(ctx, batch([person(1)], "insert"));
    const outcomes = await plugin.write(ctx, batch([person(1), person(2)], "insert"));
    expect(statuses(outcomes)).toEqual(["1:reject", "2:ok"]);
    expect(outcomes[0]).toMatchObject({ code: "ER_DUP_ENTRY", message: expect.stringMatching(/Duplicate entry '1'/) });
  });

  it("updates existing rows only, rejecting keys with no row", async () => {
    await check.expectUpdatesOnly(target());
  });

  it("deletes by remote id in mirror mode", async () => {
    const ctx = context();
    await plugin.write(ctx, batch([person(1), person(2), person(3)]));
    const gone = [1, 3, 7].map((id) => ({ key: String(id), keyValues: { id }, fields: {}, remoteId: String(id) }));
    expect(statuses(await plugin.write(ctx, batch(gone, "delete")))).toEqual(["1:ok", "3:ok", "7:ok"]);
    expect((await rows()).map((row) => row.id)).toEqual([2]);
  });

  it("isolates constraint violations and bad values to their records, committing the rest", async () => {
    const records = Array.from({ length: 120 }, (_, i) => person(i + 1, { score: i }));
    records[10] = person(11, { score: -1 }); // CHECK
    records[50] = person(51, { email: "p1@example.com" }); // UNIQUE
    records[70] = person(71, { email: `${"x".repeat(50)}@example.com` }); // too long
    records[90] = person(91, { score: "many" }); // not an integer
    const outcomes = await plugin.write(context(), batch(records));
    const refused = outcomes.filter((o) => o.status === "reject");
    expect(refused.map((o) => o.key)).toEqual(["11", "51", "71", "91"]);
    expect(refused.map((o) => (o.status === "reject" ? o.message : ""))).toEqual([
      expect.stringMatching(/CONSTRAINT .*score.* failed/),
      expect.stringMatching(/another row already holds one of this record's unique values/),
      expect.stringMatching(/Data too long for column 'email'/),
      expect.stringMatching(/Incorrect integer value: 'many' for column .*score/),
    ]);
    expect(await rows("SELECT count(*) AS n FROM people")).toEqual([{ n: 116 }]);
    // The record whose email is row 1's did not overwrite row 1.
    expect(await rows("SELECT name FROM people WHERE id = 1")).toEqual([{ name: "Person 1" }]);
  });

  it("names a missing table and a missing column as configuration errors", async () => {
    const table = await rejection(plugin.write(context(), batch([person(1)], "upsert", "nope")));
    expect(table).toMatchObject({ kind: "configuration", code: "table_missing" });
    const column = await rejection(plugin.write(context(), batch([person(1, { phone: "1" })])));
    expect(column).toMatchObject({ kind: "configuration", code: "column_missing" });
    expect(column.message).toMatch(/no column "phone"/);
    expect(await rows()).toEqual([]);
  });

  it("matches on composite keys", async () => {
    await check.expectCompositeKeys(target());
  });

  it("creates the table from createTable with the declared types", async () => {
    const options = {
      key: "id",
      createTable: { columns: { id: "integer", email: "string", ok: "boolean", tags: "json" } },
    };
    const record = { key: "1", keyValues: { id: 1 }, fields: { id: 1, email: "a@b.c", ok: true, tags: ["x"] } };
    expect(statuses(await plugin.write(context(), batch([record], "upsert", "created", options)))).toEqual(["1:ok"]);
    expect(await rows("SELECT id, email, ok, tags FROM created")).toEqual([
      { id: 1, email: "a@b.c", ok: 1, tags: ["x"] },
    ]);
    const objects = await plugin.discover!(context());
    expect(objects.find((object) => object.name === "created")?.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "id:integer",
      "email:string",
      "ok:boolean",
      "tags:string", // MariaDB's JSON is LONGTEXT with a check
    ]);
  });

  it("discovers types and required columns", async () => {
    const people = (await plugin.discover!(context())).find((object) => object.name === "people");
    expect(people?.fields).toEqual([
      { name: "id", type: "integer", required: true },
      { name: "email", type: "string", required: true },
      { name: "name", type: "string", required: false },
      { name: "score", type: "integer", required: false },
      { name: "seen", type: "datetime", required: false },
      { name: "created_at", type: "datetime", required: false },
    ]);
  });

  it("refuses a wrong password as a configuration error that never shows it", async () => {
    const url = new URL(TEST_MYSQL_URL);
    url.password = "hunter2-secret";
    const error = await rejection(plugin.check(context({ url: url.toString() })));
    expect(error).toMatchObject({ kind: "configuration" });
    expect(error.describe()).toMatch(/refused the login/);
    expect(error.describe()).not.toMatch(/hunter2/);
  });

  it("says quickly that an unreachable server is unreachable", async () => {
    const started = Date.now();
    const error = await rejection(plugin.check(context({ url: "mysql://root:pw@127.0.0.1:1/x" })));
    expect(error).toMatchObject({ kind: "transient", code: "network" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("validates TLS options and refuses to fall back to plain text", async () => {
    expect(() => context({ ssl: { mode: "require" } })).toThrow(/mode/);
    const unreadable = await rejection(plugin.check(context({ ssl: { ca: "no/such/ca.pem" } })));
    expect(unreadable).toMatchObject({ kind: "configuration", path: "ssl.ca" });
    // The local server has TLS off.
    const plain = await rejection(plugin.check(context({ ssl: { rejectUnauthorized: false } })));
    expect(plain).toMatchObject({ kind: "configuration", code: "tls" });
  });
});
