import { afterEach, describe, expect, it } from "vitest";
import { PermanentError, RateLimitError, TransientError } from "../../src/sdk/index.ts";
import { snapshotCount } from "../../src/state/inspect/index.ts";
import { Harness, type HarnessOptions, people } from "../support/harness.ts";

/**
 * The engine's run semantics — delta, modes, retry ledger, stale-value protection, invalid
 * rows, delete guard, sink limits, cancellation — as one suite, run unchanged for every way
 * the diff can be computed (local SQLite snapshot, or inside DuckDB or Postgres) by the
 * *.test.ts files next to it. `base` selects the mode and the warehouse.
 */
export function runSemanticsSuite(base: HarnessOptions): void {
  let harness: Harness;
  async function start(options: HarnessOptions = {}, seed = people(1, 10)) {
    harness = new Harness({ ...base, ...options });
    await harness.setup();
    await harness.sql(seed);
    return harness;
  }
  afterEach(async () => harness?.close());

  async function expectConverged(h: Harness) {
    const model = await h.model();
    expect(new Map([...h.destination.records].map(([k, v]) => [k, v]))).toEqual(model);
  }

  describe("delta", () => {
    it("classifies added, changed, unchanged and removed rows against the snapshot", async () => {
      const h = await start({ mode: "mirror" });
      const first = await h.run();
      expect(first.status).toBe("succeeded");
      expect(first.counts?.planned).toEqual({ added: 10, changed: 0, removed: 0 });
      await h.sql(
        `UPDATE people SET name = 'Changed' WHERE id IN (2, 3); DELETE FROM people WHERE id = 4;${people(11, 11)}`,
      );
      const second = await h.run();
      expect(second.counts?.planned).toEqual({ added: 1, changed: 2, removed: 1 });
      expect(second.counts?.unchanged).toBe(7);
      expect(second.counts?.succeeded).toEqual({ added: 1, changed: 2, removed: 1 });
      const sentSecond = h.destination.writes
        .slice(10)
        .map((w) => `${w.operation}:${w.key}`)
        .sort();
      expect(sentSecond).toEqual(["delete:4", "upsert:11", "upsert:2", "upsert:3"]);
      const third = await h.run();
      expect(third.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
      await expectConverged(h);
    });

    it("sends every row again with fullResync, without deleting anything", async () => {
      const h = await start();
      await h.run();
      const again = await h.run({ fullResync: true });
      expect(again.counts?.planned).toEqual({ added: 0, changed: 10, removed: 0 });
      expect(h.destination.writes).toHaveLength(20);
    });

    it("resyncs fully when the destination object changes (the snapshot described another target)", async () => {
      const h = await start();
      await h.run();
      const sync = h.sync();
      sync.spec.object = "other";
      const { compareIdentity, identityOf, recordIdentity } = await import("../../src/engine/delta/identity.ts");
      const identity = identityOf(sync.spec, { name: "memory", type: "memory" });
      const snapshotSize = () => snapshotCount(h.state.sqlite);
      const before = snapshotSize();
      expect(compareIdentity(h.state.sqlite, "people", identity)).toBe("target");
      // Comparing resets nothing: the reset waits until the model has been read with the new identity.
      expect(snapshotSize()).toBe(before);
      recordIdentity(h.state.sqlite, "people", identity, "target");
      const count = { n: snapshotSize() };
      expect(count.n).toBe(0);
    });
  });

  describe("modes", () => {
    it("upsert never deletes; a removed key that comes back is added again", async () => {
      const h = await start({ mode: "upsert" });
      await h.run();
      await h.sql("DELETE FROM people WHERE id = 1");
      const second = await h.run();
      expect(second.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
      expect(h.destination.records.has("1")).toBe(true);
      await h.sql(people(1, 1, 2));
      const third = await h.run();
      expect(third.counts?.planned.added).toBe(1);
    });

    it("insert sends only new records", async () => {
      const h = await start({ mode: "insert" });
      await h.run();
      await h.sql(`UPDATE people SET name = 'x' WHERE id = 1;${people(11, 12)}`);
      const second = await h.run();
      expect(second.counts?.planned).toEqual({ added: 2, changed: 0, removed: 0 });
      expect(h.destination.writes.filter((w) => w.operation !== "insert")).toHaveLength(0);
    });

    it("update only updates: records the destination lacks are reported, not created", async () => {
      const h = await start({ mode: "update" });
      for (const key of ["1", "2"]) h.destination.records.set(key, {});
      const run = await h.run();
      expect(run.status).toBe("partial");
      expect(run.counts?.succeeded.added).toBe(2);
      expect(run.counts?.failed.added).toBe(8);
      expect(h.ledger()[0]?.error_code).toBe("NOT_FOUND");
      expect(h.destination.records.size).toBe(2);
    });

    it("mirror deletes only what Syncline delivered", async () => {
      const h = await start({ mode: "mirror" });
      h.destination.records.set("someone-else", { name: "not ours" });
      await h.run();
      await h.sql("DELETE FROM people WHERE id = 10");
      await h.run();
      expect(h.destination.records.has("10")).toBe(false);
      expect(h.destination.records.has("someone-else")).toBe(true);
    });
  });

  describe("retry ledger", () => {
    it("retries a rejected record on the next run although its data did not change", async () => {
      const h = await start();
      h.destination.decide = (record) => (record.key === "3" ? "reject" : "ok");
      const first = await h.run();
      expect(first.status).toBe("partial");
      expect(h.ledger()).toEqual([
        expect.objectContaining({ key: "3", attempts: 1, error_code: "INVALID", reason: "record 3 is invalid" }),
      ]);
      h.destination.decide = () => "ok";
      const second = await h.run();
      expect(second.counts?.planned).toEqual({ added: 1, changed: 0, removed: 0 });
      expect(second.status).toBe("succeeded");
      expect(h.ledger()).toEqual([]);
      await expectConverged(h);
    });

    it("sends the newest value on retry, never a stale one (stale-value protection)", async () => {
      const h = await start();
      await h.run();
      await h.sql("UPDATE people SET version = 2 WHERE id = 3");
      h.destination.decide = (record) => (record.key === "3" ? "reject" : "ok");
      await h.run();
      expect(h.destination.records.get("3")?.version).toBe(1);
      await h.sql("UPDATE people SET version = 3 WHERE id = 3");
      h.destination.decide = () => "ok";
      const third = await h.run();
      expect(third.counts?.planned.changed).toBe(1);
      const versions = h.destination.writes.filter((w) => w.key === "3").map((w) => w.fields.version);
      expect(versions).toEqual([1, 3]);
      await expectConverged(h);
    });

    it("retries transient failures within the run, then records them in the ledger", async () => {
      const h = await start();
      let attempts = 0;
      h.destination.decide = (record) => (record.key === "5" && ++attempts <= 2 ? "retry" : "ok");
      const first = await h.run();
      expect(first.status).toBe("succeeded");
      expect(attempts).toBe(3);
      h.destination.decide = (record) => (record.key === "6" ? "retry" : "ok");
      await h.sql("UPDATE people SET version = 2 WHERE id = 6");
      const second = await h.run();
      expect(second.status).toBe("partial");
      expect(h.ledger()).toEqual([expect.objectContaining({ key: "6", attempts: 5, error_code: "busy" })]);
    }, 30_000);

    it("honours 429 Retry-After without using up attempts", async () => {
      const h = await start({ maxRecords: 5 });
      h.destination.beforeCall = (call) => {
        if (call <= 6) throw new RateLimitError("slow down", { retryAfterMs: 20 });
      };
      const run = await h.run();
      expect(run.status).toBe("succeeded");
      await expectConverged(h);
    });

    it("splits a batch the destination refuses as a whole to isolate the bad record", async () => {
      const h = await start({ maxRecords: 10 });
      h.destination.beforeCall = (_call, records) => {
        if (records.some((r) => r.key === "7")) throw new PermanentError("HTTP 400: one record is malformed");
      };
      const run = await h.run();
      expect(run.counts?.succeeded.added).toBe(9);
      expect(run.counts?.failed.added).toBe(1);
      expect(h.ledger().map((e) => e.key)).toEqual(["7"]);
    });

    it("settles the ledger entry of a record deleted from the model before it was ever delivered", async () => {
      const h = await start();
      h.destination.decide = (record) => (record.key === "2" ? "reject" : "ok");
      await h.run();
      expect(h.ledger()).toHaveLength(1);
      await h.sql("DELETE FROM people WHERE id = 2");
      h.destination.decide = () => "ok";
      const run = await h.run();
      expect(run.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
      expect(h.ledger()).toEqual([]);
    });

    it("fails the run on a configuration error and keeps the delta for the next run", async () => {
      const h = await start();
      const { ConfigurationError } = await import("../../src/sdk/index.ts");
      h.destination.beforeCall = () => {
        throw new ConfigurationError("HTTP 401", { fix: "check the token" });
      };
      const run = await h.run();
      expect(run.status).toBe("failed");
      expect(run.error?.message).toContain("check the token");
      h.destination.beforeCall = () => {};
      const next = await h.run();
      expect(next.counts?.planned.added).toBe(10);
      await expectConverged(h);
    });

    it("retries a batch whose call throws a transient error", async () => {
      const h = await start();
      h.destination.beforeCall = (call) => {
        if (call === 1) throw new TransientError("HTTP 503");
      };
      const run = await h.run();
      expect(run.status).toBe("succeeded");
      await expectConverged(h);
    });
  });

  describe("invalid rows", () => {
    it("rejects duplicate and null primary keys, counts them and never sends them", async () => {
      const h = await start(
        {},
        `${people(1, 5)}; ${people(3, 3, 9)}; INSERT INTO people VALUES (NULL, 'x@example.com', 'No key', 1)`,
      );
      const run = await h.run();
      expect(run.counts?.invalid).toBe(3);
      expect(run.invalidSamples.map((s) => s.reason)).toEqual(
        expect.arrayContaining([
          expect.stringContaining("null or empty primary key"),
          "duplicate primary key (2 rows)",
        ]),
      );
      expect([...h.destination.records.keys()].sort()).toEqual(["1", "2", "4", "5"]);
    });

    it("supports composite primary keys", async () => {
      harness = new Harness({ ...base, primaryKey: ["id", "email"] });
      await harness.setup();
      await harness.sql(people(1, 3));
      const run = await harness.run();
      expect(run.counts?.planned.added).toBe(3);
      expect([...harness.destination.records.keys()][0]).toBe('[1,"p1@example.com"]');
    });
  });

  describe("delete guard", () => {
    it("stops a mirror run that would delete too much, and lets it through when forced", async () => {
      const h = await start({ mode: "mirror" }, people(1, 40));
      await h.run();
      await h.sql("DELETE FROM people WHERE id > 20");
      const guarded = await h.run();
      expect(guarded.status).toBe("failed");
      expect(guarded.error?.code).toBe("delete_guard");
      expect(guarded.error?.message).toContain("20 of 40");
      expect(h.destination.records.size).toBe(40);
      const forced = await h.run({ forceDeletes: true });
      expect(forced.counts?.succeeded.removed).toBe(20);
      await expectConverged(h);
    });

    it("never deletes everything because the model came back empty", async () => {
      const h = await start({ mode: "mirror" }, people(1, 3));
      await h.run();
      await h.sql("DELETE FROM people");
      const run = await h.run();
      expect(run.error?.message).toContain("the model returned no rows");
      expect(h.destination.records.size).toBe(3);
    });
  });

  describe("sink limits and ordering", () => {
    it("never sends more than the destination's max records or bytes per call", async () => {
      const h = await start({ maxRecords: 4, maxBytes: 400 }, people(1, 50));
      const sizes: number[] = [];
      h.destination.beforeCall = (_call, records) => {
        sizes.push(records.length);
        const bytes = records.reduce(
          (sum, r) => sum + JSON.stringify(r.fields).length + JSON.stringify(r.keyValues).length,
          0,
        );
        expect(bytes).toBeLessThanOrEqual(400);
      };
      await h.run();
      expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(50);
    });

    it("rejects a record larger than the destination accepts in one call, with a reason", async () => {
      const h = await start({ maxBytes: 1024 });
      await h.sql("UPDATE people SET name = repeat('x', 2000) WHERE id = 1");
      const run = await h.run();
      expect(run.counts?.failed.added).toBe(1);
      expect(h.ledger()[0]?.error_code).toBe("record_too_large");
    });

    it("sends a key at most once per run and runs one run per sync at a time", async () => {
      const h = await start({}, people(1, 30));
      const a = h.engine.trigger("people", { trigger: "test" });
      const b = h.engine.trigger("people", { trigger: "test" });
      const c = h.engine.trigger("people", { trigger: "test" });
      expect(b.coalesced).toBe(false);
      expect(c.coalesced).toBe(true);
      expect(c.run.id).toBe(b.run.id);
      const [first, second] = await Promise.all([h.engine.wait(a.run.id), h.engine.wait(b.run.id)]);
      expect(first.counts?.planned.added).toBe(30);
      expect(second.counts?.planned.added).toBe(0);
      const keys = h.destination.writes.map((w) => w.key);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it("cancels at a batch boundary and commits what was delivered", async () => {
      const h = await start({ maxRecords: 5 }, people(1, 100));
      let cancelled = false;
      h.destination.afterCall = async (call) => {
        if (call === 2 && !cancelled) {
          cancelled = true;
          h.engine.cancel(runId);
        }
      };
      const { run } = h.engine.trigger("people", { trigger: "test" });
      const runId = run.id;
      const finished = await h.engine.wait(run.id);
      expect(finished.status).toBe("cancelled");
      const delivered = finished.counts!.succeeded.added;
      expect(delivered).toBeGreaterThan(0);
      expect(delivered).toBeLessThan(100);
      const next = await h.run();
      expect(next.counts?.planned.added).toBe(100 - delivered);
      await expectConverged(h);
    });
  });
}
