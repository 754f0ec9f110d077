import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CanonicalRow, type SourceContext, silentLogger } from "syncline/sdk";
import { duckdbSeriesSql, rejection, serveFetch } from "syncline/sdk/testing";
import * as v from "valibot";
import { afterAll, describe, expect, it } from "vitest";
import type { SnowflakeConfig } from "./config.ts";
import { connectionOptions } from "./connection.ts";
import { baseConfig, keyPair, PASSPHRASE, SLOW_MARKER, startFakeSnowflake } from "./fake/setup.ts";
import plugin from "./index.ts";

const snowflake = await startFakeSnowflake({ chunkRows: 4_000, inlineRows: 500 });
const { fake, keys } = snowflake;
const contexts: SourceContext<SnowflakeConfig>[] = [];
const dir = mkdtempSync(join(tmpdir(), "syncline-sf-"));

function context(
  input: Record<string, unknown> = {},
  signal = new AbortController().signal,
): SourceContext<SnowflakeConfig> {
  const config = v.parse(plugin.config, { ...baseConfig, ...input });
  const ctx = { config, logger: silentLogger, signal, state: new Map<string, unknown>(), baseDir: dir };
  contexts.push(ctx);
  return ctx;
}

async function readAll(rows: AsyncIterable<CanonicalRow[]>): Promise<CanonicalRow[]> {
  const out: CanonicalRow[] = [];
  for await (const chunk of rows) out.push(...chunk);
  return out;
}

const keyPairConfig = { username: "syncline_keypair", password: undefined, privateKeyPassphrase: PASSPHRASE };

describe("snowflake source against the protocol fake", () => {
  afterAll(async () => {
    for (const ctx of contexts) await plugin.close?.(ctx);
    snowflake.close();
  });

  it("authenticates with an encrypted private key (key-pair JWT)", async () => {
    await plugin.check(context({ ...keyPairConfig, privateKey: keys.privateKey }));
  });

  it("reads the private key from a file relative to the config file", async () => {
    writeFileSync(join(dir, "rsa_key.p8"), keys.privateKey);
    await plugin.check(context({ ...keyPairConfig, privateKeyPath: "rsa_key.p8" }));
  });

  it("refuses a key that is not the user's, without echoing the key", async () => {
    const other = keyPair();
    const error = await rejection(plugin.check(context({ ...keyPairConfig, privateKey: other.privateKey })));
    expect(error).toMatchObject({ kind: "configuration", code: "390144" });
    expect(error.fix).toMatch(/privateKey/);
    expect(error.describe()).not.toContain(other.privateKey.split("\n")[1]);
  });

  it("names a missing warehouse and a missing role", async () => {
    const warehouse = await rejection(plugin.check(context({ warehouse: "NO_SUCH_WH" })));
    expect(warehouse).toMatchObject({ kind: "configuration", code: "390201" });
    expect(warehouse.fix).toMatch(/warehouse/);
    const role = await rejection(plugin.check(context({ role: "NO_SUCH_ROLE" })));
    expect(role).toMatchObject({ kind: "configuration", code: "390189" });
    expect(role.fix).toMatch(/role/);
  });

  it("cuts a statement off at queryTimeoutMs (STATEMENT_TIMEOUT_IN_SECONDS) as a transient error", async () => {
    const ctx = context({ queryTimeoutMs: 1_000 });
    const started = Date.now();
    const model = { kind: "sql" as const, sql: `SELECT 1 AS id, '${SLOW_MARKER}' AS m` };
    const error = await rejection(readAll(plugin.read(ctx, model, { columns: ["id"] })));
    expect(error).toMatchObject({ kind: "transient", code: "query_timeout" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("downloads the result in chunks from the stage URL, with the result's encryption headers", async () => {
    const before = fake.requests.length;
    const rows = await readAll(
      plugin.read(context(), { kind: "sql", sql: duckdbSeriesSql(20_000) }, { columns: ["id", "k2"] }),
    );
    expect(rows).toHaveLength(20_000);
    expect(rows[19_999]).toEqual({ id: 20_000, k2: 0 });
    const chunks = fake.requests.slice(before).filter((request) => request.path.startsWith("/stage/results/"));
    expect(chunks).toHaveLength(5); // 500 inline rows, then 19 500 rows in chunks of 4 000
  });

  it("keeps a query's result for RESULT_SCAN by the same user only, as Snowflake does", async () => {
    const request = { primaryKey: ["id"], fields: [["k1", "k1"] as const], columns: ["id", "k1"] };
    const read = (await plugin.readOrdered!(context(), { kind: "sql", sql: duckdbSeriesSql(3) }, request))!;
    for await (const _ of read.chunks) {
      // the digests read the model's stored result
    }
    await read.close();
    const id = /RESULT_SCAN\('([^']+)'\)/.exec(fake.statements.at(-1) ?? "")?.[1];
    const scan = { kind: "sql" as const, sql: `SELECT * FROM TABLE(RESULT_SCAN('${id}'))` };
    expect(await readAll(plugin.read(context(), scan, { columns: ["k1"] }))).toEqual([
      { k1: "k1" },
      { k1: "k2" },
      { k1: "k3" },
    ]);
    const other = context({ ...keyPairConfig, privateKey: keys.privateKey });
    const error = await rejection(readAll(plugin.read(other, scan, { columns: ["k1"] })));
    expect(error.message).toContain(`Statement ${id} not found`);
  });

  it("works over a real loopback HTTP server too (no msw)", async () => {
    const served = await serveFetch(fake.handle);
    try {
      const ctx = context({ accessUrl: served.url });
      await plugin.check(ctx);
      const rows = await readAll(plugin.read(ctx, { kind: "sql", sql: duckdbSeriesSql(3) }, { columns: ["k1"] }));
      expect(rows).toEqual([{ k1: "k1" }, { k1: "k2" }, { k1: "k3" }]);
      await plugin.close?.(ctx);
    } finally {
      await served.close();
    }
  });
});

describe("snowflake connection options", () => {
  it("needs exactly one authentication method", () => {
    const options = (input: Record<string, unknown>) =>
      connectionOptions(v.parse(plugin.config, { account: "a", username: "u", ...input }), "/");
    expect(() => options({})).toThrow(expect.objectContaining({ kind: "configuration", path: "password" }));
    expect(() => options({ password: "p", privateKey: "k" })).toThrow(expect.objectContaining({ path: "privateKey" }));
    expect(options({ privateKey: "PEM", privateKeyPassphrase: "pp" })).toMatchObject({
      authenticator: "SNOWFLAKE_JWT",
      privateKey: "PEM",
      privateKeyPass: "pp",
    });
    expect(options({ password: "p", role: "R", warehouse: "W" })).toMatchObject({
      password: "p",
      role: "R",
      warehouse: "W",
    });
  });
});
