import { afterEach, describe, expect, it } from "vitest";
import type { Mode } from "../../src/engine/shared/sync-spec.ts";
import type { RunRecord } from "../../src/state/run-store.ts";
import { Harness, people } from "../support/harness.ts";
import { PeopleHistory } from "../support/people-history.ts";
import { seeded } from "../support/random.ts";

const SEEDS = [1, 2, 3, 4, 5, 6];
const MODES: Mode[] = ["mirror", "upsert", "insert", "update"];
const ROUNDS = 6;

let harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  harnesses = [];
});

/**
 * The same seeded history — inserts, updates, deletes, reused keys, duplicate and null keys,
 * destination rejections — replayed on a local-mode and a warehouse-mode sync: every run must
 * report the same counts and samples, send the same records and leave the same ledger.
 */
describe("warehouse mode and local mode agree on every run", () => {
  it.each(SEEDS)(
    "seed %i",
    async (seed) => {
      const random = seeded(seed);
      const mode = MODES[seed % MODES.length]!;
      const [local, warehouse] = await Promise.all(
        (["local", "warehouse"] as const).map(async (diff) => {
          const h = new Harness({ diff, mode, deleteGuard: { maxPercent: 100 }, maxRecords: 7 });
          harnesses.push(h);
          await h.setup();
          await h.sql(people(1, 30));
          return h;
        }),
      );
      if (mode === "update")
        for (const h of [local!, warehouse!]) for (let i = 1; i <= 20; i++) h.destination.records.set(String(i), {});
      const history = new PeopleHistory(random);
      for (let round = 0; round < ROUNDS; round++) {
        const { ids, statements } = history.round();
        const rejected = new Set(ids.filter(() => random() < 0.1).map(String));
        const runs: RunRecord[] = [];
        for (const h of [local!, warehouse!]) {
          if (round > 0 && statements.length > 0) await h.sql(statements.join(";\n"));
          h.destination.decide = (record) => (rejected.has(record.key) ? "reject" : "ok");
          runs.push(await h.run());
        }
        const [a, b] = runs as [RunRecord, RunRecord];
        const context = `seed ${seed}, ${mode}, round ${round}`;
        expect(b.status, context).toBe(a.status);
        expect(b.counts, context).toEqual(a.counts);
        // Samples are capped (20): which ones are kept depends on the order rows arrive in.
        if (a.invalidSamples.length < 20) expect(samples(b), context).toEqual(samples(a));
        else expect(b.invalidSamples.length, context).toBe(a.invalidSamples.length);
        expect(writes(warehouse!), context).toEqual(writes(local!));
        expect(warehouse!.ledger(), context).toEqual(local!.ledger());
      }
      expect(warehouse!.destination.records).toEqual(local!.destination.records);
    },
    120_000,
  );
});

function samples(run: RunRecord): string[] {
  return run.invalidSamples.map((s) => `${s.key}: ${s.reason}`).sort();
}

/** The writes since the last call, as operation:key=version, sorted (the modes may send in another order). */
function writes(h: Harness): string[] {
  const out = h.destination.writes.map((w) => `${w.operation}:${w.key}=${w.fields.version}`);
  h.destination.writes.length = 0;
  return out.sort();
}
