import { Counter, Gauge, type Registry } from "prom-client";
import type { Engine, EngineEvents } from "../engine/index.ts";
import type { SyncLogStore } from "../state/sync-log-store.ts";

/**
 * The warehouse sync logs' metrics (docs/sync-logs.md): loads and failed loads per sync (fed by
 * the engine's `sync-logs` events), and the runs whose logs wait for a retry (read at scrape
 * time). Returns the unsubscribe.
 */
export function attachSyncLogMetrics(engine: Engine, store: SyncLogStore, registry: Registry): () => void {
  const registers = [registry];
  const loads = new Counter({
    name: "syncline_sync_logs_loads_total",
    help: "Runs whose sync logs were loaded into the warehouse, by sync",
    labelNames: ["sync"] as const,
    registers,
  });
  const failures = new Counter({
    name: "syncline_sync_logs_failures_total",
    help: "Failed attempts to load a run's sync logs into the warehouse, by sync (retried after the sync's next run)",
    labelNames: ["sync"] as const,
    registers,
  });
  new Gauge({
    name: "syncline_sync_logs_pending",
    help: "Finished runs whose sync logs are not loaded yet",
    registers,
    collect() {
      try {
        this.set(store.count());
      } catch {} // the state is closed (shutting down): report nothing rather than fail the scrape
    },
  });
  const onOutcome = (outcome: EngineEvents["sync-logs"][0]) => {
    (outcome.outcome === "loaded" ? loads : failures).inc({ sync: outcome.sync });
  };
  engine.on("sync-logs", onOutcome);
  return () => engine.off("sync-logs", onOutcome);
}
