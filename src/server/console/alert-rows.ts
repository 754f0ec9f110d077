import type { AlertsConfig, AlertRule as ConfiguredRule } from "../../alerts/config.ts";
import type { AlertStore } from "../../state/alert-store.ts";
import { iso } from "../present.ts";
import type { AlertRule, Available } from "./data.ts";

export const NO_ALERTS = "No alert rules are configured: add `alerts:` to the config (see the README, Alerts).";

/** The condition a rule watches, in words an operator reads at a glance. */
export function condition(rule: ConfiguredRule): string {
  const after = rule.afterMs === undefined ? "" : formatDuration(rule.afterMs);
  switch (rule.type) {
    case "run_failed":
      return "a run failed";
    case "run_partial":
      return "a run refused some records";
    case "rejected_share":
      return `more than ${rule.percent}% of a run's records refused`;
    case "stale":
      return `no run delivered for ${after}`;
    case "slow_run":
      return `a run longer than ${after}`;
    case "ledger_age":
      return `a record failing for longer than ${after}`;
    case "quota_exhausted":
      return "a run stopped by the destination's quota";
  }
}

/**
 * One row per rule and sync it watches, with the state the alerting loop keeps in SQLite
 * (a sync never evaluated yet shows as ok).
 */
export function alertRows(alerts: AlertsConfig | undefined, store: AlertStore): Available<AlertRule[]> {
  if (!alerts || alerts.rules.length === 0) return { available: false, reason: NO_ALERTS };
  const rows: AlertRule[] = [];
  for (const rule of alerts.rules) {
    for (const sync of rule.syncs) {
      const state = store.get(rule.name, sync);
      const firing = state?.status === "firing";
      rows.push({
        name: rule.name,
        sync,
        condition: condition(rule),
        channels: rule.channels,
        state: firing ? "firing" : "ok",
        since: firing ? iso(state.firingSince) : state?.resolvedAt ? iso(state.resolvedAt) : null,
        lastNotifiedAt: state ? iso(state.updatedAt) : null,
      });
    }
  }
  return { available: true, rows };
}

function formatDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "min"],
    [1000, "s"],
  ];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  return `${ms} ms`;
}
