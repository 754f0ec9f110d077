import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { ENGINE_EVENTS, lazyMetrics, SEQUENCE_EVENTS } from "./lazy-metrics.ts";
import { createMetrics, type MetricsDeps } from "./metrics.ts";

/** An engine, a sequencer and stores with only what the metrics read. */
function fakeDeps() {
  const engine = Object.assign(new EventEmitter(), { syncNames: () => ["people"] });
  const sequences = Object.assign(new EventEmitter(), { names: () => ["nightly"] });
  const stores = {
    ledger: { countsBySync: () => new Map([["people", 2]]) },
    changelog: { count: () => 5 },
    syncLogs: { count: () => 0 },
  };
  const deps = { engine, sequences, stores, destinations: new Map() } as unknown as MetricsDeps;
  return { deps, engine, sequences };
}

const counts = {
  rowsRead: 10,
  invalid: 1,
  succeeded: { added: 3, changed: 2, removed: 0 },
  failed: { added: 1, changed: 0, removed: 0 },
};
const run = (id: string, status: string) => ({
  id,
  sync: "people",
  trigger: "startup",
  status,
  startedAt: 1_000,
  finishedAt: status === "running" ? null : 3_500,
  counts: status === "running" ? null : counts,
  error: null,
});

/** The same history of events, on whichever engine and sequencer. */
function history({ engine, sequences }: ReturnType<typeof fakeDeps>, id: string): void {
  engine.emit("run:started", run(id, "running"));
  engine.emit("batch", { sync: "people", destination: "crm", records: 5, ms: 120 });
  engine.emit("wait", { runId: id, sync: "people", destination: "crm", cause: "rate_limit", ms: 2_500, until: 0 });
  engine.emit("run:finished", run(id, "partial"));
  engine.emit("sync-logs", { sync: "people", runId: id, outcome: "loaded" });
  engine.emit("changelog:pruned", { rows: 7 });
  sequences.emit("sequence:started", { sequence: "nightly", trigger: "api" });
  sequences.emit("sequence:finished", { sequence: "nightly", status: "succeeded" });
}

describe("lazyMetrics", () => {
  it("shows at the first scrape what metrics built at start counted, and counts on once built", async () => {
    const eager = fakeDeps();
    const lazy = fakeDeps();
    const built = createMetrics(eager.deps);
    const attach = vi.fn();
    const deferred = lazyMetrics(lazy.deps, { attach });
    for (const side of [eager, lazy]) history(side, "run_1");
    built.observeRequest({ method: "GET", route: "/readyz", status: 200 }, 0.002);
    deferred.observeRequest({ method: "GET", route: "/readyz", status: 200 }, 0.002);
    expect(attach).not.toHaveBeenCalled();
    expect(await deferred.render()).toBe(await built.render());
    expect(attach).toHaveBeenCalledOnce();
    expect(deferred.contentType).toBe(built.contentType);
    for (const side of [eager, lazy]) history(side, "run_2");
    const text = await deferred.render();
    expect(text).toBe(await built.render());
    expect(text).toContain('syncline_runs_started_total{sync="people",trigger="startup"} 2');
    expect(text).toContain('syncline_records_total{sync="people",change="added",outcome="succeeded"} 6');
  });

  it("keeps exactly the events the metrics listen to", () => {
    const { deps, engine, sequences } = fakeDeps();
    createMetrics(deps);
    expect(engine.eventNames().sort()).toEqual([...ENGINE_EVENTS].sort());
    expect(sequences.eventNames().sort()).toEqual([...SEQUENCE_EVENTS].sort());
  });

  it("builds the metrics without a scrape once enough events wait", async () => {
    const side = fakeDeps();
    const attach = vi.fn();
    lazyMetrics(side.deps, { attach, maxPending: 3 });
    history(side, "run_1");
    await vi.waitFor(() => expect(attach).toHaveBeenCalledOnce());
  });

  it("stops listening when closed before the first scrape", () => {
    const side = fakeDeps();
    lazyMetrics(side.deps).close();
    expect(side.engine.eventNames()).toEqual([]);
    expect(side.sequences.eventNames()).toEqual([]);
  });
});
