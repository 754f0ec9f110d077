import { Counter, Gauge, type Registry } from "prom-client";
import type { AlertStore } from "../state/alert-store.ts";

/**
 * The alerting's Prometheus metrics. Made without a registry, so the alerting works the same
 * under `syncline run` (nothing scrapes it) and `serve`, which attaches them to /metrics.
 */
export class AlertMetrics {
  readonly notifications = new Counter({
    name: "syncline_alert_notifications_total",
    help: "Alert notifications by channel, kind (firing, resolved, test) and outcome (sent, failed: one per failed delivery)",
    labelNames: ["channel", "kind", "outcome"] as const,
    registers: [],
  });
  private readonly firing: Gauge<"rule" | "sync">;
  private readonly pending: Gauge;

  constructor(store: AlertStore, rules: ReadonlyArray<{ name: string; syncs: readonly string[] }>) {
    this.firing = new Gauge({
      name: "syncline_alerts_firing",
      help: "1 while an alert rule fires for a sync, 0 otherwise",
      labelNames: ["rule", "sync"] as const,
      registers: [],
      collect() {
        this.reset();
        let firing: Set<string>;
        try {
          firing = new Set(store.firing().map((row) => `${row.rule}\n${row.sync}`));
        } catch {
          return; // the state is closed (shutting down): report nothing rather than fail the scrape
        }
        for (const rule of rules) {
          for (const sync of rule.syncs)
            this.set({ rule: rule.name, sync }, firing.has(`${rule.name}\n${sync}`) ? 1 : 0);
        }
      },
    });
    this.pending = new Gauge({
      name: "syncline_alert_notifications_pending",
      help: "Alert notifications waiting in the outbox for their channel to accept them",
      registers: [],
      collect() {
        try {
          this.set(store.pending());
        } catch {}
      },
    });
  }

  attach(registry: Registry): void {
    registry.registerMetric(this.notifications);
    registry.registerMetric(this.firing);
    registry.registerMetric(this.pending);
  }
}
