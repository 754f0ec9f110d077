/**
 * The same logical rows in DuckDB and Postgres must give identical canonical rows, and so
 * identical hashes: a sync moved from one warehouse to the other resends nothing.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CanonicalRow, keyOf, type SourceDefinition, silentLogger } from "syncline/sdk";
import { duckdbPeopleSql, duckdbTypesSql, TYPE_CASES } from "syncline/sdk/testing";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashFields } from "../../src/engine/delta/hash.ts";
import { requireService } from "../../test/support/services.ts";
import duckdb from "../duckdb/index.ts";
import { POSTGRES_TYPES_SQL, POSTGRES_UNSUPPORTED, postgresPeopleSql } from "./fixtures.ts";
import postgres from "./index.ts";
import { adminQuery, TEST_POSTGRES_URL } from "./test-server.ts";

const SCHEMA = "syncline_cross_source";
const reachable = await requireService("postgres");
const dir = mkdtempSync(join(tmpdir(), "syncline-cross-"));
const seed = join(dir, "seed.sql");
writeFileSync(seed, duckdbPeopleSql(undefined, SCHEMA));

const sources = {
  duckdb: {
    plugin: duckdb as SourceDefinition<unknown>,
    config: v.parse(duckdb.config, { seed }),
    types: duckdbTypesSql(),
  },
  postgres: {
    plugin: postgres as SourceDefinition<unknown>,
    config: v.parse(postgres.config, { url: TEST_POSTGRES_URL }),
    types: POSTGRES_TYPES_SQL,
  },
};
type Name = keyof typeof sources;
const states = { duckdb: new Map<string, unknown>(), postgres: new Map<string, unknown>() };

async function read(
  name: Name,
  model: { kind: "sql"; sql: string } | { kind: "table"; relation: { schema: string; name: string } },
  columns: string[],
) {
  const { plugin, config } = sources[name];
  const ctx = { config, logger: silentLogger, signal: new AbortController().signal, state: states[name], baseDir: dir };
  const rows: CanonicalRow[] = [];
  for await (const chunk of plugin.read(ctx, model, { columns })) rows.push(...chunk);
  return rows.sort((a, b) => JSON.stringify([a.region, a.id]).localeCompare(JSON.stringify([b.region, b.id])));
}

/** The hash the engine stores per record: md5 over the mapped fields in sorted order. */
function hashes(rows: CanonicalRow[], key: string[]): Array<[string | undefined, string]> {
  return rows.map((row) => {
    const fields = Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)));
    return [keyOf(row, key), hashFields(fields)];
  });
}

const shared = ["id", ...Object.keys(TYPE_CASES).filter((column) => !(column in POSTGRES_UNSUPPORTED))];
/** Known divergences, each pinned by an it.fails below until fixed. */
const DIVERGENT: string[] = [];

describe.runIf(reachable)("cross-source: DuckDB and Postgres agree", () => {
  beforeAll(async () => {
    await adminQuery(postgresPeopleSql(SCHEMA));
  });
  afterAll(async () => {
    for (const name of Object.keys(sources) as Name[]) {
      const { plugin, config } = sources[name];
      await plugin.close?.({
        config,
        logger: silentLogger,
        signal: new AbortController().signal,
        state: states[name],
        baseDir: dir,
      });
    }
    await adminQuery(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  });

  it("reads every shared type to the same canonical row and hash", async () => {
    const columns = shared.filter((column) => !DIVERGENT.includes(column));
    const duck = await read("duckdb", { kind: "sql", sql: sources.duckdb.types }, columns);
    const pg = await read("postgres", { kind: "sql", sql: sources.postgres.types }, columns);
    expect(duck).toHaveLength(2);
    expect(JSON.stringify(duck)).toBe(JSON.stringify(pg));
    expect(hashes(duck, ["id"])).toEqual(hashes(pg, ["id"]));
  });

  it("reads the people table to the same composite keys and hashes", async () => {
    const model = { kind: "table" as const, relation: { schema: SCHEMA, name: "people" } };
    const columns = ["region", "id", "name", "score", "updated_at"];
    const duck = await read("duckdb", model, columns);
    const pg = await read("postgres", model, columns);
    expect(duck).toHaveLength(3);
    expect(hashes(duck, ["region", "id"])).toEqual(hashes(pg, ["region", "id"]));
    expect(duck.map((row) => keyOf(row, ["region", "id"]))).toEqual(['["eu",1]', '["eu",2]', '["us",1]']);
  });

  // DuckDB reads DECIMAL(38,0) as a decimal string ("42") where Postgres numeric(38,0) and
  // Snowflake NUMBER(38,0) give the integer 42. Remove `.fails` once plugins/duckdb maps
  // scale-0 decimals with canonicalInteger.
  it("reads a scale-0 decimal (NUMBER(38,0)) as the same integer", async () => {
    const duck = await read("duckdb", { kind: "sql", sql: sources.duckdb.types }, ["id", ...DIVERGENT]);
    const pg = await read("postgres", { kind: "sql", sql: sources.postgres.types }, ["id", ...DIVERGENT]);
    expect(JSON.stringify(duck)).toBe(JSON.stringify(pg));
  });
});
