import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CanonicalRow, type SourceContext, silentLogger } from "syncline/sdk";
import { duckdbSeriesSql, rejection, serveFetch } from "syncline/sdk/testing";
import * as v from "valibot";
import { afterAll, describe, expect, it } from "vitest";
import { clientOptions } from "./client.ts";
import type { BigQueryConfig } from "./config.ts";
import { PROJECT, SLOW_MARKER, startFakeBigQuery } from "./fake/setup.ts";
import plugin from "./index.ts";

const bigquery = await startFakeBigQuery({ maxPageRows: 50_000 });
const { fake, keys } = bigquery;
const dir = mkdtempSync(join(tmpdir(), "syncline-bq-"));
const contexts: SourceContext<BigQueryConfig>[] = [];

function context(
  input: Record<string, unknown> = {},
  signal = new AbortController().signal,
): SourceContext<BigQueryConfig> {
  const config = v.parse(plugin.config, {
    projectId: PROJECT,
    location: "EU",
    credentials: keys.reader.json,
    ...input,
  });
  const ctx = { config, logger: silentLogger, signal, state: new Map<string, unknown>(), baseDir: dir };
  contexts.push(ctx);
  return ctx;
}

async function chunksOf(rows: AsyncIterable<CanonicalRow[]>): Promise<CanonicalRow[][]> {
  const out: CanonicalRow[][] = [];
  for await (const chunk of rows) out.push(chunk);
  return out;
}

describe("bigquery source against the REST fake", () => {
  afterAll(async () => {
    for (const ctx of contexts) await plugin.close?.(ctx);
    bigquery.close();
  });

  it("reads the key from keyFilename, relative to the config file", async () => {
    writeFileSync(join(dir, "sa.json"), keys.reader.json);
    await plugin.check(context({ credentials: undefined, keyFilename: "sa.json" }));
  });

  it("says which role is missing when the account may not create jobs", async () => {
    const error = await rejection(plugin.check(context({ credentials: keys.noJobs.json })));
    expect(error).toMatchObject({ kind: "configuration", code: "accessDenied" });
    expect(error.fix).toMatch(/roles\/bigquery\.jobUser/);
  });

  it("reports a missing dataset or table as not found, with the location to check", async () => {
    const model = { kind: "table" as const, relation: { schema: "no_such_dataset", name: "t" } };
    const error = await rejection(chunksOf(plugin.read(context(), model, { columns: ["id"] })));
    expect(error).toMatchObject({ kind: "configuration", code: "notFound" });
    expect(error.fix).toMatch(/location/);
  });

  it("reads results a page at a time (maxResults + pageToken)", async () => {
    const before = fake.requests.length;
    const chunks = await chunksOf(
      plugin.read(context({ pageSize: 4_000 }), { kind: "sql", sql: duckdbSeriesSql(25_000) }, { columns: ["id"] }),
    );
    expect(chunks.map((chunk) => chunk.length)).toEqual([4_000, 4_000, 4_000, 4_000, 4_000, 4_000, 1_000]);
    const pages = fake.requests.slice(before).filter((request) => request.path.includes("/queries/"));
    expect(pages).toHaveLength(7);
    expect(pages.every((request) => request.search.includes("maxResults=4000"))).toBe(true);
    expect(pages.slice(1).every((request) => request.search.includes("pageToken="))).toBe(true);
  });

  it("keeps TIMESTAMP microseconds exact, before 1970 too", async () => {
    const sql =
      "SELECT TIMESTAMPTZ '1969-12-31 23:59:59.999999+00' AS t, TIMESTAMPTZ '2262-04-11 23:47:16.854775+00' AS far";
    const [chunk] = await chunksOf(plugin.read(context(), { kind: "sql", sql }, { columns: ["t", "far"] }));
    expect(chunk).toEqual([{ t: "1969-12-31T23:59:59.999999Z", far: "2262-04-11T23:47:16.854775Z" }]);
  });

  it("gets columns from a dry run, without running a job", async () => {
    const before = fake.requests.length;
    const columns = await plugin.columns(context(), {
      kind: "sql",
      sql: "SELECT 1 AS id, [1, 2] AS tags, {'a': 1} AS rec",
    });
    expect(columns).toEqual([
      { name: "id", type: "INTEGER" },
      { name: "tags", type: "ARRAY<INTEGER>" },
      { name: "rec", type: "RECORD" },
    ]);
    expect(fake.requests.slice(before).some((request) => request.path.includes("/queries/"))).toBe(false);
  });

  it("gives the job a timeout and reports it as transient", async () => {
    const started = Date.now();
    const model = { kind: "sql" as const, sql: `SELECT 1 AS id, '${SLOW_MARKER}' AS m` };
    const error = await rejection(
      chunksOf(plugin.read(context({ queryTimeoutMs: 1_000 }), model, { columns: ["id"] })),
    );
    expect(error).toMatchObject({ kind: "transient", code: "query_timeout" });
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("works with apiEndpoint pointing at a loopback server (no msw for the API)", async () => {
    const served = await serveFetch(fake.handle);
    try {
      const ctx = context({ apiEndpoint: served.url });
      const chunks = await chunksOf(plugin.read(ctx, { kind: "sql", sql: duckdbSeriesSql(2) }, { columns: ["k2"] }));
      expect(chunks.flat()).toEqual([{ k2: 1 }, { k2: 2 }]);
    } finally {
      await served.close();
    }
  });
});

describe("bigquery client options", () => {
  const options = (input: Record<string, unknown>) =>
    clientOptions(v.parse(plugin.config, { projectId: "p", ...input }), "/cfg");

  it("takes a service-account key's JSON, a key file, or neither (ADC)", () => {
    expect(options({ credentials: keys.reader.json })).toMatchObject({
      credentials: { client_email: expect.any(String) },
    });
    expect(options({ keyFilename: "keys/sa.json" })).toMatchObject({ keyFilename: "/cfg/keys/sa.json" });
    const adc = options({});
    expect(adc).not.toHaveProperty("credentials");
    expect(adc).not.toHaveProperty("keyFilename");
  });

  it("refuses credentials that are not a service-account key, pointing at the option", () => {
    expect(() => options({ credentials: "not json" })).toThrow(
      expect.objectContaining({ kind: "configuration", path: "credentials" }),
    );
    expect(() => options({ credentials: '{"type":"authorized_user"}' })).toThrow(
      expect.objectContaining({ path: "credentials" }),
    );
    expect(() => options({ credentials: keys.reader.json, keyFilename: "x" })).toThrow(
      expect.objectContaining({ path: "credentials" }),
    );
  });
});
