import { afterAll, describe, expect, it } from "vitest";
import type { CanonicalRow, SourceDefinition } from "../../src/sdk/index.ts";
import { TransientError } from "../../src/sdk/index.ts";
import { ChaosReceiver, type FaultKind } from "../support/chaos-receiver.ts";
import { Harness, people } from "../support/harness.ts";
import { seeded } from "../support/random.ts";
import { checkInvariant } from "./invariant.ts";
import { ModelMutator } from "./mutations.ts";
import { report } from "./report.ts";

const KINDS: FaultKind[] = [
  "http_500",
  "http_503",
  "timeout",
  "reset_before",
  "reset_after",
  "slow",
  "rate_limit_retry_after",
  "rate_limit_bare",
];
const SEEDS = [11, 23, 47];
const ROUNDS = 10;

const dropped = () => new TransientError("warehouse connection dropped mid-stream", { code: "source_dropped" });

/**
 * A source that fails in the middle of its stream once in a while (seeded), on whichever path
 * the planner takes: `read`, or the ordered read's key/hash chunks (runs with a snapshot).
 */
function flakySource(random: () => number, counter: { sourceErrors: number }) {
  return (source: SourceDefinition<unknown>): SourceDefinition<unknown> => ({
    ...source,
    readOrdered: source.readOrdered
      ? async (ctx, model, request) => {
          const ordered = await source.readOrdered!(ctx, model, request);
          if (!ordered || random() >= 0.2) return ordered;
          const inner = ordered.chunks;
          return {
            ...ordered,
            chunks: (async function* () {
              // The first chunk reaches the planner, then the connection drops.
              for await (const chunk of inner) {
                yield chunk;
                break;
              }
              counter.sourceErrors++;
              throw dropped();
            })(),
          };
        }
      : undefined,
    async *read(ctx, model, options) {
      const fail = random() < 0.2;
      for await (const chunk of source.read(ctx, model, options) as AsyncIterable<CanonicalRow[]>) {
        if (!fail) {
          yield chunk;
          continue;
        }
        // Half of the rows reach the planner, then the connection drops.
        yield chunk.slice(0, Math.ceil(chunk.length / 2));
        counter.sourceErrors++;
        throw dropped();
      }
    },
  });
}

describe("fault injection: the destination converges to the model after one clean run", () => {
  afterAll(() => report.print());

  it.each(SEEDS)(
    "seed %i: destination faults, source faults, model churn",
    async (seed) => {
      const random = seeded(seed);
      const receiver = await new ChaosReceiver().start();
      receiver.random = random;
      const counter = { sourceErrors: 0 };
      const harness = new Harness({
        mode: "mirror",
        deleteGuard: { maxPercent: 100 },
        webhook: { url: receiver.url, maxRecords: 7, timeoutMs: receiver.timeoutMs, concurrency: 3 },
        wrapSource: flakySource(random, counter),
      });
      await harness.setup();
      await harness.sql(people(1, 60));
      const mutator = new ModelMutator(random, 61);
      try {
        for (let round = 0; round < ROUNDS; round++) {
          if (round > 0) await mutator.mutate(harness);
          const keys = [...(await harness.model()).keys()];
          receiver.faults = {
            rate: 0.1 + random() * 0.4,
            kinds: KINDS.filter(() => random() < 0.6),
            // Per-record rejections that later become acceptable: a new set every round.
            rejectKeys: new Set(keys.filter(() => random() < 0.05)),
          };
          const run = await harness.run();
          report.run(run.status);
        }
        receiver.faults = { rate: 0, kinds: [], rejectKeys: new Set() };
        let converged = 0;
        for (let clean = 1; clean <= 3 && !converged; clean++) {
          const run = await harness.run();
          report.run(run.status);
          const result = await checkInvariant(harness, receiver.records);
          if (result.lost === 0 && result.extra === 0) converged = clean;
        }
        const final = await checkInvariant(harness, receiver.records);
        report.scenario({
          seed,
          ...final,
          staleWrites: receiver.staleWrites,
          runsToConverge: converged,
          injected: receiver.injected,
          sourceErrors: counter.sourceErrors,
        });
        expect(final).toEqual({ lost: 0, extra: 0 });
        expect(receiver.staleWrites).toBe(0);
        expect(converged).toBe(1);
        expect(harness.ledger()).toEqual([]);
      } finally {
        await harness.close();
        await receiver.stop();
      }
    },
    180_000,
  );
});
