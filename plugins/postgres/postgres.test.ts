import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { type CanonicalRow, type SourceContext, silentLogger } from "syncline/sdk";
import { rejection } from "syncline/sdk/testing";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../../test/support/services.ts";
import type { PostgresConfig } from "./config.ts";
import plugin from "./index.ts";
import { clientConfig } from "./pool.ts";
import { adminQuery, TEST_POSTGRES_URL } from "./test-server.ts";

const SCHEMA = "syncline_pg_specific";
const ROLE = "syncline_pg_noaccess";
const LARGE_ROWS = 500_000;
const reachable = await requireService("postgres");

const config = (input: Record<string, unknown> = {}) => v.parse(plugin.config, { url: TEST_POSTGRES_URL, ...input });
const contexts: SourceContext<PostgresConfig>[] = [];
function context(
  input: Record<string, unknown> = {},
  signal = new AbortController().signal,
): SourceContext<PostgresConfig> {
  const ctx = {
    config: config(input),
    logger: silentLogger,
    signal,
    state: new Map<string, unknown>(),
    baseDir: process.cwd(),
  };
  contexts.push(ctx);
  return ctx;
}

async function drain(rows: AsyncIterable<CanonicalRow[]>): Promise<number> {
  let count = 0;
  for await (const chunk of rows) count += chunk.length;
  return count;
}

describe.runIf(reachable)("postgres source against the local server", () => {
  beforeAll(async () => {
    await adminQuery(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA};
      CREATE TABLE ${SCHEMA}.large AS
        SELECT g::bigint AS id, md5(g::text) AS email, repeat('y', 200) AS pad, now() AS updated_at
        FROM generate_series(1, ${LARGE_ROWS}) AS g;
      DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${ROLE}') THEN CREATE ROLE ${ROLE} LOGIN; END IF; END $$;
      REVOKE ALL ON SCHEMA ${SCHEMA} FROM ${ROLE};`);
  });
  afterAll(async () => {
    for (const ctx of contexts) await plugin.close?.(ctx);
    await adminQuery(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; DROP ROLE IF EXISTS ${ROLE}`);
  });

  it(`streams a ${LARGE_ROWS.toLocaleString("en")}-row table with flat memory`, async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const samples: number[] = [];
    let count = 0;
    let chunks = 0;
    const started = Date.now();
    const model = { kind: "table" as const, relation: { schema: SCHEMA, name: "large" } };
    for await (const chunk of plugin.read(context(), model, { columns: ["id", "email", "pad", "updated_at"] })) {
      count += chunk.length;
      if (++chunks % 10 === 0) {
        gc();
        samples.push(process.memoryUsage().heapUsed - baseline);
      }
    }
    const ms = Date.now() - started;
    const peakMb = Math.max(...samples) / 1048576;
    const lastMb = samples.at(-1)! / 1048576;
    console.info(
      `postgres: ${count} rows in ${chunks} chunks, ${ms} ms, heap peak +${peakMb.toFixed(1)} MB, end +${lastMb.toFixed(1)} MB`,
    );
    expect(count).toBe(LARGE_ROWS);
    // The whole table as objects would take ~180 MB; streaming keeps a couple of batches.
    expect(peakMb).toBeLessThan(24);
    // Flat: the second half of the read holds no more than the first half did, plus noise.
    const half = Math.floor(samples.length / 2);
    expect(Math.max(...samples.slice(half)) / 1048576).toBeLessThan(Math.max(...samples.slice(0, half)) / 1048576 + 8);
  });

  it("cuts a query off at queryTimeoutMs with a transient error", async () => {
    const ctx = context({ queryTimeoutMs: 300 });
    const started = Date.now();
    const error = await rejection(
      drain(plugin.read(ctx, { kind: "sql", sql: "SELECT 1 AS id FROM pg_sleep(5)" }, { columns: ["id"] })),
    );
    expect(error.kind).toBe("transient");
    expect(error.code).toBe("query_timeout");
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("says the database does not exist", async () => {
    const error = await rejection(plugin.check(context({ url: undefined, ...fields(), database: "no_such_db_x" })));
    expect(error.kind).toBe("configuration");
    expect(error.code).toBe("3D000");
    expect(error.fix).toMatch(/database/);
  });

  it("says the user lacks a privilege", async () => {
    const ctx = context({ url: undefined, ...fields(), user: ROLE });
    await plugin.check(ctx);
    const model = { kind: "table" as const, relation: { schema: SCHEMA, name: "large" } };
    const error = await rejection(drain(plugin.read(ctx, model, { columns: ["id"] })));
    expect(error.kind).toBe("configuration");
    expect(error.code).toBe("42501");
    expect(error.fix).toMatch(/GRANT/);
  });

  it("names a missing column as a configuration error", async () => {
    const model = { kind: "table" as const, relation: { schema: SCHEMA, name: "large" } };
    const error = await rejection(drain(plugin.read(context(), model, { columns: ["id", "nope"] })));
    expect(error.kind).toBe("configuration");
    expect(error.code).toBe("42703");
  });

  it("returns the pooled connection after a read, including one stopped early", async () => {
    const ctx = context({ maxConnections: 1 });
    const model = { kind: "sql" as const, sql: "SELECT g AS id FROM generate_series(1, 100000) g" };
    for await (const _ of plugin.read(ctx, model, { columns: ["id"] })) break;
    // With one connection, a leaked client would make this wait for ever.
    expect(await drain(plugin.read(ctx, model, { columns: ["id"] }))).toBe(100_000);
  });
});

describe("postgres connection options", () => {
  it("lets the URL win and fields fill in", () => {
    const pg = clientConfig(v.parse(plugin.config, { url: "postgres://u@h:5433/db", password: "pw" }), "/");
    expect(pg).toMatchObject({
      connectionString: "postgres://u@h:5433/db",
      password: "pw",
      application_name: "syncline",
    });
  });

  it("maps TLS modes like libpq", () => {
    const tls = (ssl: Record<string, unknown>) => clientConfig(v.parse(plugin.config, { host: "h", ssl }), "/").ssl;
    expect(tls({ mode: "disable" })).toBe(false);
    expect(tls({ mode: "require" })).toMatchObject({ rejectUnauthorized: false });
    expect(tls({ mode: "verify-full" })).toEqual({ rejectUnauthorized: true });
    const verifyCa = tls({ mode: "verify-ca", ca: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----" });
    expect(verifyCa).toMatchObject({ rejectUnauthorized: true, ca: expect.stringContaining("BEGIN") });
    expect(typeof (verifyCa as { checkServerIdentity?: unknown }).checkServerIdentity).toBe("function");
    expect(tls({ mode: "require", rejectUnauthorized: true })).toMatchObject({ rejectUnauthorized: true });
  });

  it("refuses an unreadable PEM path with the config path at fault", () => {
    expect(() => clientConfig(v.parse(plugin.config, { host: "h", ssl: { ca: "no/such/ca.pem" } }), "/tmp")).toThrow(
      expect.objectContaining({ kind: "configuration", path: "ssl.ca" }),
    );
  });
});

function fields() {
  const url = new URL(TEST_POSTGRES_URL);
  return { host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1), user: url.username };
}
