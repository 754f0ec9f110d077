import * as v from "valibot";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PROJECT, startFakeBigQuery } from "../../plugins/bigquery/fake/setup.ts";
import bigquery from "../../plugins/bigquery/index.ts";
import { baseConfig, startFakeSnowflake } from "../../plugins/snowflake/fake/setup.ts";
import snowflake from "../../plugins/snowflake/index.ts";
import type { Mode } from "../../src/engine/shared/sync-spec.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import type { SourceDefinition } from "../../src/sdk/source.ts";
import type { RunRecord } from "../../src/state/run-store.ts";
import { FakeBackend } from "../support/fake-backend.ts";
import { Harness, people } from "../support/harness.ts";
import { snapshotOf, writesSince } from "../support/harness-compare.ts";
import { PeopleHistory } from "../support/people-history.ts";
import { seeded } from "../support/random.ts";

// The real drivers against the protocol fakes, which run the generated SQL on DuckDB. One fake
// at a time: each answers its service's real host names through its own msw server.
const WAREHOUSES = {
  async snowflake() {
    const fake = await startFakeSnowflake();
    const config = v.parse(snowflake.config, baseConfig);
    const plugin = snowflake as SourceDefinition<unknown>;
    return { backend: () => new FakeBackend("snowflake", fake.fake.store, plugin, config), close: fake.close };
  },
  async bigquery() {
    const fake = await startFakeBigQuery();
    const config = v.parse(bigquery.config, { projectId: PROJECT, location: "EU", credentials: fake.keys.reader.json });
    const plugin = bigquery as SourceDefinition<unknown>;
    return { backend: () => new FakeBackend("bigquery", fake.fake.store, plugin, config), close: fake.close };
  },
};

const MODES: Mode[] = ["mirror", "upsert", "insert", "update"];
const ROUNDS = 4;
/**
 * Every type the ordered read renders, with values turning NULL and back as versions change;
 * keys an integer, unicode text, or composite with unicode.
 */
const SQL = `SELECT id, email, name, version,
  CASE WHEN (id + version) % 5 = 0 THEN NULL ELSE (version * 1.25)::DECIMAL(10,2) END AS amount,
  to_timestamp(version * 1000.5) AS at, make_timestamp(version::BIGINT * 1000500001) AS local_at,
  CASE WHEN (id + version) % 4 = 0 THEN NULL ELSE DATE '2024-01-01' + version END AS day,
  CASE WHEN (id + version) % 3 = 0 THEN NULL ELSE version % 2 = 0 END AS flag,
  CASE WHEN (id + version) % 6 = 0 THEN NULL ELSE version::DOUBLE / 3 END AS ratio, version::BIGINT * 4294967296 AS big,
  CASE id % 3 WHEN 0 THEN 'é' WHEN 1 THEN 'Z' ELSE 'a😀' END AS region, 'ключ ' || id AS label FROM people`;
const FIELDS = ["email", "name", "version", "amount", "at", "local_at", "day", "flag", "ratio", "big"];
const KEYS = [["id"], ["label"], ["region", "id"]];

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.close();
  harnesses = [];
});

/**
 * The same seeded history replayed on two syncs of one model, one with the plugin's ordered
 * read (the ordered merge) and one without (lookups): every run must report the same counts,
 * send the same records, and leave the same snapshot and ledger; after the first run, only the
 * delta's rows are read twice.
 */
describe.each(Object.entries(WAREHOUSES))(
  "%s: the ordered merge and the lookup path agree on every run",
  (_, start) => {
    let warehouse: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => {
      warehouse = await start();
    });
    afterAll(() => warehouse.close());

    it.each([1, 2, 3, 4, 5, 6])(
      "seed %i",
      async (seed) => {
        const random = seeded(seed);
        const mode = MODES[seed % MODES.length]!;
        const primaryKey = KEYS[seed % KEYS.length]!;
        const counted = { reads: 0, fetched: 0, fallbacks: 0, delta: 0 };
        const counting = (plugin: SourceDefinition<unknown>): SourceDefinition<unknown> => ({
          ...plugin,
          readOrdered: async (...args) => {
            const read = await plugin.readOrdered!(...args);
            if (read) counted.reads++;
            return (
              read && {
                ...read,
                rows: async function* (keys) {
                  for await (const rows of read.rows(keys)) {
                    counted.fetched += rows.length;
                    yield rows;
                  }
                },
              }
            );
          },
        });
        const withoutOrdered = ({ readOrdered: _, ...rest }: SourceDefinition<unknown>) => rest;
        const [ordered, lookup] = [counting, withoutOrdered].map((wrapSource) => {
          const logger = { ...silentLogger, warn: () => void counted.fallbacks++ };
          return new Harness({
            mode,
            sql: SQL,
            primaryKey,
            mapping: FIELDS.map((field) => [field, field]),
            deleteGuard: { maxPercent: 100 },
            maxRecords: 7,
            backend: warehouse.backend,
            wrapSource,
            logger: wrapSource === counting ? logger : undefined,
          });
        }) as [Harness, Harness];
        harnesses.push(ordered, lookup);
        // Both read the one `people` table of the fake's store: created once both are set up.
        for (const h of [ordered, lookup])
          await h.setup("CREATE TABLE people (id integer, email text, name text, version integer)");
        await ordered.sql(people(1, 30));
        if (mode === "update")
          for (const h of [ordered, lookup])
            for (let i = 1; i <= 20; i++) h.destination.records.set(keyFor(i, primaryKey), {});
        const history = new PeopleHistory(random);
        for (let round = 0; round < ROUNDS; round++) {
          const { ids, statements } = history.round();
          if (round > 0 && statements.length > 0) await ordered.sql(statements.join(";\n"));
          const rejected = new Set(ids.filter(() => random() < 0.1).map((id) => keyFor(id, primaryKey)));
          const runs: RunRecord[] = [];
          for (const h of [ordered, lookup]) {
            h.destination.decide = (record) => (rejected.has(record.key) ? "reject" : "ok");
            runs.push(await h.run());
          }
          const [a, b] = runs as [RunRecord, RunRecord];
          const context = `seed ${seed}, ${mode}, ${primaryKey.join("+")}, round ${round}`;
          expect(a.status, context).toBe(b.status);
          expect(a.counts, context).toEqual(b.counts);
          if (round > 0) counted.delta += a.counts!.planned.added + a.counts!.planned.changed;
          expect(writesSince(ordered), context).toEqual(writesSince(lookup));
          expect(snapshotOf(ordered), context).toEqual(snapshotOf(lookup));
          expect(ordered.ledger(), context).toEqual(lookup.ledger());
        }
        expect(ordered.destination.records).toEqual(lookup.destination.records);
        // Every run after the first went through the ordered read, none fell back to lookups,
        // and the warehouse's hashes matched the snapshot's: only the delta's rows were read twice.
        expect(counted.reads).toBe(ROUNDS - 1);
        expect(counted.fallbacks).toBe(0);
        expect(counted.fetched).toBeLessThanOrEqual(counted.delta);
        expect(counted.fetched).toBeGreaterThan(0);
      },
      120_000,
    );
  },
);

/** A row's key as the engine writes it, for the keys of the model above. */
function keyFor(id: number, primaryKey: string[]): string {
  if (primaryKey[0] === "label") return `ключ ${id}`;
  if (primaryKey.length === 2) return JSON.stringify([id % 3 === 0 ? "é" : id % 3 === 1 ? "Z" : "a😀", id]);
  return String(id);
}
