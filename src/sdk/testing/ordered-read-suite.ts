import assert from "node:assert/strict";
import { keyOf } from "../key.ts";
import { silentLogger } from "../logger.ts";
import type { OrderedReadRequest } from "../ordered-read.ts";
import type { Model, SourceContext, SourceDefinition } from "../source.ts";
import type { CanonicalRow } from "../values.ts";
import { duckdbOrderedKeysSql, duckdbOrderedTypesSql, ORDERED_TYPE_COLUMNS } from "./duckdb-fixtures.ts";
import { orderedHashCheck } from "./ordered-hash-check.ts";
import { currentRunner } from "./runner.ts";

export interface OrderedReadSuiteOptions<TConfig> {
  name: string;
  plugin: SourceDefinition<TConfig>;
  config: TConfig;
  /** The protocol fake: its DuckDB store (the suite's tables go to its default schema) and the SQL it received, in order. */
  fake: { store: { exec(sql: string): Promise<void> }; statements: readonly string[] };
  /** Per column of ORDERED_TYPE_COLUMNS, the values whose hash the warehouse does not reproduce. */
  misses: Record<string, unknown[]>;
  /** Checks what one ordered read of table `moving` sent (how the model ran, how keys were bound). */
  checkSent(sent: readonly string[]): void;
  /** The statements a source sends before it declines a model it cannot hash. */
  declineCost: number;
  /** The most keys the source passes to one rows query. */
  keysPerQuery: number;
  teardown?(): Promise<void>;
}

const table = (name: string): Model => ({ kind: "table", relation: { name } });
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function rowsOf(rows: AsyncIterable<CanonicalRow[]>): Promise<CanonicalRow[]> {
  const out: CanonicalRow[] = [];
  for await (const page of rows) out.push(...page);
  return out;
}

/**
 * readOrdered of a source whose protocol fake runs DuckDB (as the Snowflake and BigQuery fakes
 * do): each plain type hashed as the engine hashes it (or never matching), keys in byte order
 * with composite and NULL keys, the rows of the asked keys from the digests' state of the
 * model even when it changes in between, and a model with a type it cannot hash declined
 * before it runs.
 */
export function runOrderedReadSuite<TConfig>(options: OrderedReadSuiteOptions<TConfig>): void {
  const { plugin, fake } = options;
  const state = new Map<string, unknown>();
  const context = (): SourceContext<TConfig> => {
    return { config: options.config, logger: silentLogger, signal: new AbortController().signal, state, baseDir: "." };
  };
  const exec = (sql: string) => fake.store.exec(sql);
  const { describe, it, before, after } = currentRunner();
  describe(`ordered read: ${options.name}`, () => {
    before(() => exec(`${duckdbOrderedTypesSql("typed")}; ${duckdbOrderedKeysSql("keyed")}`));
    after(async () => {
      await plugin.close?.(context());
      await options.teardown?.();
    });

    for (const column of ORDERED_TYPE_COLUMNS) {
      it(`hashes ${column} exactly as the engine, or never matches`, async () => {
        const request = { primaryKey: ["id"], fields: [["F", column] as const], columns: ["id", column] };
        const { keys, misses } = await orderedHashCheck(plugin, context(), table("typed"), request);
        assert.deepEqual(keys, ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        assert.deepEqual(
          misses.map((row) => row[column]),
          options.misses[column] ?? [],
        );
      });
    }

    it("orders keys by their UTF-8 bytes (NULL last), writes composite keys as keyOf, fetches only the asked rows", async () => {
      const all = await rowsOf(plugin.read(context(), table("keyed"), { columns: ["k", "g", "v"] }));
      for (const primaryKey of [["k"], ["k", "g"], ["g", "k"]]) {
        const request: OrderedReadRequest = { primaryKey, fields: [["V", "v"]], columns: [...primaryKey, "v"] };
        const { keys, misses } = await orderedHashCheck(plugin, context(), table("keyed"), request);
        assert.deepEqual(misses, []);
        const valid = all.map((row) => keyOf(row, primaryKey)).filter((key): key is string => key !== undefined);
        assert.deepEqual(
          keys.filter((key) => key !== undefined),
          valid.sort(byBytes),
        );
        assert.equal(keys.at(-1), undefined);
        const read = (await plugin.readOrdered!(context(), table("keyed"), request))!;
        for await (const _ of read.chunks) {
          // the digests first, as the engine reads them
        }
        const fetched = await rowsOf(read.rows([[valid[0]!], [valid.at(-1)!]]));
        await read.close();
        assert.deepEqual(fetched.map((row) => keyOf(row, primaryKey)!).sort(byBytes), [valid[0], valid.at(-1)]);
        assert.deepEqual(Object.keys(fetched[0]!), [...primaryKey, "v"]);
      }
    });

    it("reads the rows from the digests' state of the model", async () => {
      await exec("CREATE OR REPLACE TABLE moving AS SELECT range::INTEGER AS id, 'v' || range AS v FROM range(5)");
      const before = fake.statements.length;
      const request: OrderedReadRequest = { primaryKey: ["id"], fields: [["V", "v"]], columns: ["id", "v"] };
      const read = (await plugin.readOrdered!(context(), table("moving"), request))!;
      let digests = 0;
      for await (const chunk of read.chunks) digests += chunk.length;
      await exec("DELETE FROM moving WHERE id < 3; UPDATE moving SET v = 'changed'");
      const rows = await rowsOf(read.rows([["0", "1"], ["4"]]));
      await read.close();
      assert.equal(digests, 5);
      assert.deepEqual(
        rows.sort((a, b) => Number(a.id) - Number(b.id)),
        [
          { id: 0, v: "v0" },
          { id: 1, v: "v1" },
          { id: 4, v: "v4" },
        ],
      );
      options.checkSent(fake.statements.slice(before));
    });

    it("passes the asked keys to the rows query in batches", async () => {
      const request: OrderedReadRequest = { primaryKey: ["id"], fields: [["I", "c_int"]], columns: ["id", "c_int"] };
      const read = (await plugin.readOrdered!(context(), table("typed"), request))!;
      for await (const _ of read.chunks) {
        // the digests first, as the engine reads them
      }
      const before = fake.statements.length;
      const keys = Array.from({ length: 2 * options.keysPerQuery + 1 }, (_, i) => String(i + 1));
      const rows = await rowsOf(read.rows([keys.slice(0, 5), keys.slice(5)]));
      await read.close();
      assert.equal(rows.length, 9);
      assert.equal(fake.statements.length - before, 3);
    });

    it("declines a model with a type it cannot hash (an array), before running it", async () => {
      await exec("CREATE OR REPLACE TABLE listed AS SELECT 1 AS id, [1, 2] AS l");
      const before = fake.statements.length;
      const request: OrderedReadRequest = { primaryKey: ["id"], fields: [["L", "l"]], columns: ["id", "l"] };
      assert.equal(await plugin.readOrdered!(context(), table("listed"), request), undefined);
      assert.equal(fake.statements.length - before, options.declineCost);
    });
  });
}
