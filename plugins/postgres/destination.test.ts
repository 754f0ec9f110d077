import pg from "pg";
import type { DestinationContext, DestinationRecord } from "syncline/sdk";
import { makeDestinationContext, rejection } from "syncline/sdk/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as check from "../sql-table/test-checks.ts";
import { batchesOf, person, statuses } from "../sql-table/test-kit.ts";
import plugin from "./destination.ts";
import type { PostgresDestinationConfig } from "./destination-config.ts";
import { adminQuery, postgresReachable, TEST_POSTGRES_URL } from "./test-server.ts";

const S = "syncline_pg_dest";
const contexts: DestinationContext<PostgresDestinationConfig>[] = [];

function context(config: Record<string, unknown> = {}): DestinationContext<PostgresDestinationConfig> {
  const ctx = makeDestinationContext(plugin, { url: TEST_POSTGRES_URL, ...config });
  contexts.push(ctx);
  return ctx;
}

const batch = batchesOf(`${S}.people`);

/** The suite's tables, written through a new destination instance unless `ctx` is given. */
const target = (ctx = context()): check.TableTarget => ({
  write: (records) => plugin.write(ctx, records),
  batch,
  rows: (sql) => rows(sql),
  pairs: `${S}.pairs`,
});

async function rows(sql = `SELECT id, email, name FROM ${S}.people ORDER BY id`) {
  return (await adminQuery(sql)).rows;
}

describe("postgres destination against the local server", () => {
  beforeAll(async () => {
    // Needs the real server: fails (never skips) when it does not answer.
    if (!(await postgresReachable())) throw new Error(`these tests need Postgres at ${TEST_POSTGRES_URL}`);
    await adminQuery(`DROP SCHEMA IF EXISTS ${S} CASCADE; CREATE SCHEMA ${S}`);
  });
  beforeEach(async () => {
    await adminQuery(`DROP TABLE IF EXISTS ${S}.people, ${S}.pairs, ${S}.created;
      CREATE TABLE ${S}.people (id integer PRIMARY KEY, email varchar(40) NOT NULL UNIQUE, name text,
        score integer CHECK (score >= 0), created_at timestamptz DEFAULT now());
      CREATE TABLE ${S}.pairs (region text, id integer, label text, PRIMARY KEY (region, id))`);
  });
  afterAll(async () => {
    for (const ctx of contexts) await plugin.close?.(ctx);
    await adminQuery(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
  });

  it("updates only the columns a record carries (changed fields only, nulls skipped)", async () => {
    await check.expectPartialUpdates(target());
  });

  it("upserts: inserts new rows, updates existing ones, returns the key as remote id", async () => {
    await check.expectUpserts(target());
  });

  it("carries tabs, newlines, backslashes and NULLs through COPY unchanged", async () => {
    const odd = "a\tb\nc\\d\r\\N";
    await plugin.write(context(), batch([person(1, { name: odd }), person(2, { name: null })]));
    expect((await rows()).map((row) => row.name)).toEqual([odd, null]);
  });

  it("inserts, rejecting a row whose key exists with Postgres's message", async () => {
    const ctx = context();
    await plugin.write(ctx, batch([person(1)], "insert"));
    const outcomes = await plugin.write(ctx, batch([person(1), person(2)], "insert"));
    expect(statuses(outcomes)).toEqual(["1:reject", "2:ok"]);
    expect(outcomes[0]).toMatchObject({ code: "23505", message: expect.stringMatching(/duplicate key.*\(id\)=\(1\)/) });
    expect((await rows()).map((row) => row.id)).toEqual([1, 2]);
  });

  it("updates existing rows only, rejecting keys with no row", async () => {
    await check.expectUpdatesOnly(target());
  });

  it("deletes by remote id in mirror mode, a missing row being no error", async () => {
    const ctx = context();
    const written = await plugin.write(ctx, batch([person(1), person(2), person(3)]));
    const gone = [1, 3, 7].map((id) => ({
      key: String(id),
      keyValues: { id },
      fields: {},
      remoteId: written.find((o) => o.key === String(id))?.status === "ok" ? String(id) : undefined,
    }));
    expect(statuses(await plugin.write(ctx, batch(gone, "delete")))).toEqual(["1:ok", "3:ok", "7:ok"]);
    expect((await rows()).map((row) => row.id)).toEqual([2]);
  });

  it("isolates a constraint violation to its record and commits the rest", async () => {
    const records = Array.from({ length: 200 }, (_, i) => person(i + 1, { score: i }));
    records[57] = person(58, { score: -1 }); // CHECK (score >= 0)
    records[140] = person(141, { email: "p1@example.com" }); // UNIQUE (email) with record 1
    const outcomes = await plugin.write(context(), batch(records));
    expect(outcomes.filter((o) => o.status !== "ok")).toEqual([
      { key: "58", status: "reject", code: "23514", message: expect.stringContaining("people_score_check") },
      { key: "141", status: "reject", code: "23505", message: expect.stringContaining("people_email_key") },
    ]);
    expect(await rows(`SELECT count(*)::int AS n FROM ${S}.people`)).toEqual([{ n: 198 }]);
  });

  it("rejects a value the column cannot hold, per record, without truncating it", async () => {
    const outcomes = await plugin.write(
      context(),
      batch([
        person(1),
        person(2, { email: `${"x".repeat(50)}@example.com` }),
        person(3, { score: "many" }),
        person(4),
      ]),
    );
    expect(statuses(outcomes)).toEqual(["1:ok", "2:reject", "3:reject", "4:ok"]);
    expect(outcomes[1]).toMatchObject({ code: "22001", message: expect.stringMatching(/too long.*varying\(40\)/) });
    expect(outcomes[2]).toMatchObject({
      code: "22P02",
      message: expect.stringMatching(/invalid input syntax for type integer: "many"/),
    });
    expect((await rows()).map((row) => row.id)).toEqual([1, 4]);
  });

  it("names a missing table and a missing column as configuration errors, writing nothing", async () => {
    const table = await rejection(plugin.write(context(), batch([person(1)], "upsert", `${S}.nope`)));
    expect(table).toMatchObject({ kind: "configuration", code: "table_missing" });
    expect(table.describe()).toMatch(/"syncline_pg_dest\.nope" does not exist.*createTable/);
    const column = await rejection(plugin.write(context(), batch([person(1, { phone: "1" })])));
    expect(column).toMatchObject({ kind: "configuration", code: "column_missing" });
    expect(column.message).toMatch(/no column "phone"/);
    expect(await rows()).toEqual([]);
  });

  it("writes to options.table when given, instead of the sync's object", async () => {
    await plugin.write(context(), batch([person(5)], "upsert", "ignored", { table: `${S}.people` }));
    expect((await rows()).map((row) => row.id)).toEqual([5]);
  });

  it("throws a permanent error (the engine splits) for a deferred constraint failing at COMMIT", async () => {
    await adminQuery(`CREATE TABLE ${S}.parents (id int PRIMARY KEY);
      ALTER TABLE ${S}.people ADD COLUMN parent int REFERENCES ${S}.parents DEFERRABLE INITIALLY DEFERRED`);
    try {
      const error = await rejection(
        plugin.write(context(), batch([person(1, { parent: null }), person(2, { parent: 7 })])),
      );
      expect(error).toMatchObject({ kind: "permanent", code: "23503" });
      expect(await rows()).toEqual([]);
      // Alone, the good record goes through: what the engine's split does.
      expect(statuses(await plugin.write(context(), batch([person(1, { parent: null })])))).toEqual(["1:ok"]);
    } finally {
      await adminQuery(`ALTER TABLE ${S}.people DROP COLUMN parent; DROP TABLE ${S}.parents`);
    }
  });

  it("matches on composite keys", async () => {
    await check.expectCompositeKeys(target());
  });

  it("creates the table from createTable with the declared types, then writes to it", async () => {
    const options = {
      key: "id",
      createTable: { columns: { id: "integer", email: "string", score: "number", seen: "datetime", tags: "json" } },
    };
    const record: DestinationRecord = {
      key: "1",
      keyValues: { id: 1 },
      fields: { id: 1, email: "a@b.c", score: 1.5, seen: "2024-01-02T03:04:05Z", tags: { a: [1] } },
    };
    const outcomes = await plugin.write(context(), batch([record], "upsert", `${S}.created`, options));
    expect(statuses(outcomes)).toEqual(["1:ok"]);
    const types = await rows(
      `SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_schema = '${S}' AND table_name = 'created' ORDER BY ordinal_position`,
    );
    expect(types.map((row) => `${row.c} ${row.t}`)).toEqual([
      "id bigint",
      "email text",
      "score double precision",
      "seen timestamp with time zone",
      "tags jsonb",
    ]);
    expect(await rows(`SELECT tags, seen = '2024-01-02T03:04:05Z' AS same FROM ${S}.created`)).toEqual([
      { tags: { a: [1] }, same: true },
    ]);
  });

  it("discovers tables with vocabulary types and required columns", async () => {
    const objects = await plugin.discover!(context());
    const people = objects.find((object) => object.name === `${S}.people`);
    expect(people?.fields).toEqual([
      { name: "id", type: "integer", required: true },
      { name: "email", type: "string", required: true },
      { name: "name", type: "string", required: false },
      { name: "score", type: "integer", required: false },
      { name: "created_at", type: "datetime", required: false },
    ]);
  });

  it("refuses an unknown login as a configuration error that never shows the password", async () => {
    const bad = context({ url: undefined, ...fields(), user: "no_such_user_x", password: "hunter2-secret" });
    const error = await rejection(plugin.check(bad));
    expect(error.kind).toBe("configuration");
    expect(error.describe()).toMatch(/no_such_user_x/);
    expect(error.describe()).not.toMatch(/hunter2/);
    const write = await rejection(plugin.write(bad, batch([person(1)])));
    expect(write.kind).toBe("configuration");
  });

  it("says quickly that an unreachable server is unreachable", async () => {
    const started = Date.now();
    const error = await rejection(plugin.check(context({ url: "postgres://postgres:pw@127.0.0.1:1/x" })));
    expect(error).toMatchObject({ kind: "transient", code: "network" });
    expect(error.describe()).toMatch(/ECONNREFUSED.*host/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("cancels a write the engine gives up on, committing nothing", async () => {
    const locker = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await locker.connect();
    try {
      await locker.query(`BEGIN; LOCK TABLE ${S}.people IN ACCESS EXCLUSIVE MODE`);
      const ctx = makeDestinationContext(plugin, { url: TEST_POSTGRES_URL }, { signal: AbortSignal.timeout(300) });
      contexts.push(ctx);
      const started = Date.now();
      await expect(plugin.write(ctx, batch([person(1), person(2)]))).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(5_000);
      await locker.query("COMMIT");
      // The cancelled statement never ran on: nothing lands once the lock is gone.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await rows()).toEqual([]);
    } finally {
      await locker.end();
    }
  });

  it("validates TLS options", async () => {
    expect(() => context({ ssl: { mode: "sometimes" } })).toThrow(/ssl/);
    expect(() => context({ ssl: { ca: "x", verify: true } })).toThrow(/verify/);
    const unreadable = await rejection(plugin.check(context({ ssl: { mode: "verify-full", ca: "no/such/ca.pem" } })));
    expect(unreadable).toMatchObject({ kind: "configuration", path: "ssl.ca" });
    // The local server has TLS off: asking for it must fail, not fall back to plain text.
    await expect(plugin.check(context({ ssl: { mode: "require" } }))).rejects.toThrow(/SSL/);
  });
});

function fields() {
  const url = new URL(TEST_POSTGRES_URL);
  return { host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1), user: url.username };
}
