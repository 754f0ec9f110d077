import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Harness } from "../support/harness.ts";
import { checkInvariant } from "./invariant.ts";

type Step =
  | { kind: "insert"; id: number }
  | { kind: "update"; id: number }
  | { kind: "delete"; id: number }
  | { kind: "run"; reject: number[]; retry: number[]; throwEvery: number };

const id = fc.integer({ min: 1, max: 25 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), id }),
  fc.record({ kind: fc.constant("update" as const), id }),
  fc.record({ kind: fc.constant("delete" as const), id }),
  fc.record({
    kind: fc.constant("run" as const),
    reject: fc.array(id, { maxLength: 4 }),
    retry: fc.array(id, { maxLength: 4 }),
    throwEvery: fc.integer({ min: 0, max: 4 }),
  }),
);

/**
 * Random sequences of model changes and destination outcomes (rejections, transient failures,
 * whole calls failing); after every clean run the destination must equal the model, and no
 * write may carry an older version than one already delivered.
 */
describe("property: any history converges after one clean run", () => {
  it("holds for random histories (mirror mode)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 14 }), async (steps) => {
        const h = new Harness({ mode: "mirror", deleteGuard: { maxPercent: 100 }, maxRecords: 4 });
        await h.setup();
        let version = 0;
        const highest = new Map<string, number>();
        let stale = 0;
        try {
          for (const s of steps) {
            if (s.kind === "insert") {
              await h.sql(
                `DELETE FROM people WHERE id = ${s.id}; INSERT INTO people VALUES (${s.id}, 'p${s.id}', 'n', ${++version})`,
              );
            } else if (s.kind === "update") {
              await h.sql(`UPDATE people SET version = ${++version} WHERE id = ${s.id}`);
            } else if (s.kind === "delete") {
              await h.sql(`DELETE FROM people WHERE id = ${s.id}`);
            } else {
              const rejected = new Set(s.reject.map(String));
              const retried = new Set(s.retry.map(String));
              h.destination.decide = (r) => (rejected.has(r.key) ? "reject" : retried.has(r.key) ? "retry" : "ok");
              h.destination.beforeCall = (call) => {
                if (s.throwEvery > 0 && call % s.throwEvery === 0) throw new Error("connection reset");
              };
              await h.run();
            }
          }
          h.destination.decide = () => "ok";
          h.destination.beforeCall = () => {};
          await h.run();
          for (const write of h.destination.writes) {
            const v = Number(write.fields.version);
            if (write.operation !== "delete" && v < (highest.get(write.key) ?? 0)) stale++;
            if (write.operation !== "delete") highest.set(write.key, Math.max(v, highest.get(write.key) ?? 0));
          }
          const result = await checkInvariant(h, h.destination.records);
          expect(result).toEqual({ lost: 0, extra: 0 });
          expect(stale).toBe(0);
          expect(h.ledger()).toEqual([]);
        } finally {
          await h.close();
        }
      }),
      { numRuns: 25, seed: 20261125 },
    );
  }, 240_000);
});
