import { Counter, Gauge, type Registry } from "prom-client";
import type { Engine, EngineEvents } from "../engine/index.ts";
import type { ChangelogStore } from "../state/changelog-store.ts";

/**
 * The record changelog's metrics: rows kept (read at scrape time) and rows pruned (from the
 * engine's pruner). Returns the function that unsubscribes.
 */
export function changelogMetrics(registry: Registry, engine: Engine, changelog: ChangelogStore): () => void {
  new Gauge({
    name: "syncline_changelog_rows",
    help: "Rows in the record changelog (one per record a run sent), all syncs",
    registers: [registry],
    collect() {
      try {
        this.set(changelog.count());
      } catch {
        // the state is closed (shutting down): report nothing rather than fail the scrape
      }
    },
  });
  const pruned = new Counter({
    name: "syncline_changelog_pruned_total",
    help: "Changelog rows deleted for being older than changelog.retentionDays",
    registers: [registry],
  });
  pruned.inc(0);
  const onPruned = (event: EngineEvents["changelog:pruned"][0]) => pruned.inc(event.rows);
  engine.on("changelog:pruned", onPruned);
  return () => engine.off("changelog:pruned", onPruned);
}
