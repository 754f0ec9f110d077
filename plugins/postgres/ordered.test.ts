import { createHash } from "node:crypto";
import {
  type CanonicalRow,
  type DigestChunk,
  keyOf,
  type OrderedRead,
  type OrderedReadRequest,
  type SourceContext,
  silentLogger,
} from "syncline/sdk";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../../test/support/services.ts";
import type { PostgresConfig } from "./config.ts";
import plugin from "./index.ts";
import { TYPE_VALUES } from "./ordered-values.fixture.ts";
import { adminQuery, TEST_POSTGRES_URL } from "./test-server.ts";

const SCHEMA = "syncline_pg_ordered";
const reachable = await requireService("postgres");
const contexts: SourceContext<PostgresConfig>[] = [];

function context(url = TEST_POSTGRES_URL, signal = new AbortController().signal): SourceContext<PostgresConfig> {
  const config = v.parse(plugin.config, { url, batchSize: 7, maxConnections: 1 });
  const ctx = { config, logger: silentLogger, signal, state: new Map(), baseDir: "." };
  contexts.push(ctx);
  return ctx;
}

const table = (name: string) => ({ kind: "table" as const, relation: { schema: SCHEMA, name } });
const md5 = (text: string) => createHash("md5").update(text).digest("base64url");

/** Every chunk row as [key, hashOf(json) → boolean], and the read closed. */
async function digests(read: OrderedRead): Promise<Array<{ key: string | undefined; chunk: DigestChunk; i: number }>> {
  const out: Array<{ key: string | undefined; chunk: DigestChunk; i: number }> = [];
  for await (const chunk of read.chunks) {
    for (let i = 0; i < chunk.length; i++) out.push({ key: chunk.key!(i), chunk, i });
  }
  return out;
}

async function readAll(ctx: SourceContext<PostgresConfig>, name: string, columns: string[]): Promise<CanonicalRow[]> {
  const rows: CanonicalRow[] = [];
  for await (const chunk of plugin.read(ctx, table(name), { columns })) rows.push(...chunk);
  return rows;
}

describe.runIf(reachable)("the postgres ordered read", () => {
  beforeAll(async () => {
    const tables = Object.entries(TYPE_VALUES).map(
      ([type, values], t) => `CREATE TABLE ${SCHEMA}.t${t} (id int PRIMARY KEY, x ${type});
        INSERT INTO ${SCHEMA}.t${t} VALUES ${[...values, "NULL"].map((value, i) => `(${i}, ${value})`).join(", ")};`,
    );
    await adminQuery(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}; ${tables.join("\n")}
      CREATE TABLE ${SCHEMA}.keys (k text, g int, v text);
      INSERT INTO ${SCHEMA}.keys VALUES ('b', 1, 'x'), ('B', 1, 'y'), ('a', 2, 'z'), ('é', 1, NULL), ('e', NULL, 'w'),
        ('a\uE000', 1, 'v'), ('a\u{1F600}', 1, 'u'), ('10', 1, 't'), ('9', 2, 's'), (NULL, 1, 'r'), ('', 3, 'q'), ('Z', 1, 'p');`);
  });
  afterAll(async () => {
    for (const ctx of contexts) await plugin.close?.(ctx);
    await adminQuery(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  });

  // Session settings shape the plugin's text and the ordered read's rendering alike.
  const sessions = {
    default: TEST_POSTGRES_URL,
    "St John's time, 0 extra float digits": `${TEST_POSTGRES_URL}?options=${encodeURIComponent("-c TimeZone=America/St_Johns -c extra_float_digits=0")}`,
  };
  for (const [session, url] of Object.entries(sessions)) {
    it.each(Object.keys(TYPE_VALUES).map((type, t) => [type, t] as const))(
      `${session}: hashes %s exactly as the engine, or never matches`,
      async (type, t) => {
        const ctx = context(url);
        const request: OrderedReadRequest = { primaryKey: ["id"], fields: [["X", "x"]], columns: ["id", "x"] };
        const read = await plugin.readOrdered!(ctx, table(`t${t}`), request);
        expect(read, type).toBeDefined();
        let rows: Array<{ key: string | undefined; chunk: DigestChunk; i: number }>;
        try {
          rows = await digests(read!);
        } finally {
          await read!.close();
        }
        const engine = new Map((await readAll(ctx, `t${t}`, ["id", "x"])).map((row) => [String(row.id), row.x]));
        const misses: unknown[] = [];
        for (const { key, chunk, i } of rows) {
          const json = JSON.stringify({ X: engine.get(key!) });
          if (!chunk.hashIs(i, md5(json))) misses.push(engine.get(key!));
          // Never the hash of any other value of the column.
          for (const [other, value] of engine) {
            if (other !== key && JSON.stringify(value) !== JSON.stringify(engine.get(key!))) {
              expect(chunk.hashIs(i, md5(JSON.stringify({ X: value }))), `${type} ${key} vs ${other}`).toBe(false);
            }
          }
        }
        const expected = [...(MISSES[type] ?? []), ...(session === "default" ? [] : (ROUNDED_MISSES[type] ?? []))];
        expect(misses, type).toEqual(expected);
      },
    );
  }

  it("orders keys by their UTF-8 bytes (nulls last), composite keys as keyOf writes them, and fetches only the asked rows", async () => {
    const ctx = context();
    const rows = await readAll(ctx, "keys", ["k", "g", "v"]);
    for (const primaryKey of [["k"], ["k", "g"], ["g", "k"]]) {
      const request: OrderedReadRequest = { primaryKey, fields: [["V", "v"]], columns: [...primaryKey, "v"] };
      const read = (await plugin.readOrdered!(ctx, table("keys"), request))!;
      try {
        const got = await digests(read);
        const texts = got.map(({ chunk, i }) => keyOf(chunk.keyRow(i), primaryKey) ?? null);
        expect(got.map(({ key }) => key ?? null)).toEqual(texts);
        const expected = rows.map((row) => keyOf(row, primaryKey) ?? null);
        const valid = expected.filter((key): key is string => key !== null);
        valid.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        expect(texts.filter((key) => key !== null)).toEqual(valid);
        for (const { key, chunk, i } of got) {
          if (key === undefined) continue;
          const row = rows.find((r) => keyOf(r, primaryKey) === key)!;
          expect(chunk.hashIs(i, md5(JSON.stringify({ V: row.v })))).toBe(true);
        }
        const wanted = [valid[0]!, valid[valid.length - 1]!];
        const fetched: CanonicalRow[] = [];
        for await (const chunk of read.rows([[wanted[0]!], [wanted[1]!]])) fetched.push(...chunk);
        expect(fetched.map((row) => keyOf(row, primaryKey)).sort()).toEqual([...wanted].sort());
        expect(Object.keys(fetched[0]!)).toEqual([...primaryKey, "v"]);
      } finally {
        await read.close();
      }
    }
  });

  it("declines a model whose mapped column has no canonical rendering (arrays) or a non-ISO session, and reads one snapshot", async () => {
    const ctx = context();
    await adminQuery(`CREATE TABLE ${SCHEMA}.arr (id int, a int[]); INSERT INTO ${SCHEMA}.arr VALUES (1, '{1,2}')`);
    const request: OrderedReadRequest = { primaryKey: ["id"], fields: [["A", "a"]], columns: ["id", "a"] };
    expect(await plugin.readOrdered!(ctx, table("arr"), request)).toBeUndefined();
    // A session whose dates are not ISO text (the plugin then keeps timestamps as text) is read whole.
    const sqlDates = context(`${TEST_POSTGRES_URL}?options=${encodeURIComponent("-c DateStyle=SQL,DMY")}`);
    const ints: OrderedReadRequest = { primaryKey: ["id"], fields: [["I", "id"]], columns: ["id"] };
    expect(await plugin.readOrdered!(sqlDates, table("arr"), ints)).toBeUndefined();
    // Repeatable read: a change committed between the keys and the rows is not seen.
    const plain: OrderedReadRequest = { primaryKey: ["id"], fields: [["I", "id"]], columns: ["id"] };
    const read = (await plugin.readOrdered!(ctx, table("arr"), plain))!;
    try {
      expect((await digests(read)).map(({ key }) => key)).toEqual(["1"]);
      await adminQuery(`DELETE FROM ${SCHEMA}.arr`);
      const fetched: CanonicalRow[] = [];
      for await (const chunk of read.rows([["1"]])) fetched.push(...chunk);
      expect(fetched).toEqual([{ id: 1 }]);
    } finally {
      await read.close();
    }
  });
});

describe.runIf(reachable)("the postgres ordered read's connection", () => {
  beforeAll(async () => {
    await adminQuery(`DROP SCHEMA IF EXISTS ${SCHEMA}_c CASCADE; CREATE SCHEMA ${SCHEMA}_c;
      CREATE TABLE ${SCHEMA}_c.big AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) AS g`);
  });
  afterAll(() => adminQuery(`DROP SCHEMA IF EXISTS ${SCHEMA}_c CASCADE`));
  const big = { kind: "table" as const, relation: { schema: `${SCHEMA}_c`, name: "big" } };
  const request: OrderedReadRequest = { primaryKey: ["id"], fields: [["V", "v"]], columns: ["id", "v"] };

  it("goes back to the pool (of one) after a read left early or cancelled", async () => {
    const ctx = context();
    for (let i = 0; i < 3; i++) {
      const read = (await plugin.readOrdered!(ctx, big, request))!;
      for await (const _ of read.chunks) break;
      await read.close();
    }
    const controller = new AbortController();
    const cancelled = context(TEST_POSTGRES_URL, controller.signal);
    const read = (await plugin.readOrdered!(cancelled, big, request))!;
    await expect(
      (async () => {
        for await (const _ of read.chunks) controller.abort(new Error("stop"));
      })(),
    ).rejects.toThrow("stop");
    await read.close();
    const again = (await plugin.readOrdered!(ctx, big, request))!;
    let rows = 0;
    for await (const chunk of again.chunks) rows += chunk.length;
    await again.close();
    expect(rows).toBe(20000);
  });
});

/**
 * Engine values whose row hash the ordered read does not reproduce (the engine hashes those
 * rows itself), by type: timestamps outside the years 2 to 9998, which the reader marks.
 */
const MISSES: Record<string, unknown[]> = {
  timestamp: ["0001-01-01T00:00:00Z", "+012345-01-01T00:00:00Z", "0005-01-01 00:00:00 BC"],
  timestamptz: ["9999-12-31T23:00:00Z"],
};
/** And with extra_float_digits 0: floats whose 15-digit text reads back as another number. */
const ROUNDED_MISSES: Record<string, unknown[]> = { "double precision": ["Infinity", 5e-324] };
