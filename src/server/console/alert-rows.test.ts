import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AlertsConfig } from "../../alerts/config.ts";
import { AlertStore } from "../../state/alert-store.ts";
import { openState } from "../../state/database.ts";
import { seedAlerts } from "../../state/inspect/index.ts";
import { alertRows, NO_ALERTS } from "./alert-rows.ts";

const config: AlertsConfig = {
  channels: new Map(),
  evaluateEveryMs: 30_000,
  rules: [
    { name: "failed", type: "run_failed", syncs: ["people", "orders"], channels: ["ops"], severity: "critical" },
    {
      name: "stale",
      type: "stale",
      syncs: ["people"],
      channels: ["ops", "pager"],
      severity: "warning",
      afterMs: 6 * 3_600_000,
    },
    { name: "share", type: "rejected_share", syncs: ["orders"], channels: ["ops"], severity: "warning", percent: 5 },
  ],
};

let state: ReturnType<typeof openState> | undefined;
afterEach(() => state?.sqlite.close());

describe("the console's alert rows", () => {
  it("shows every rule per sync it watches, with the state the alerting loop stored", () => {
    state = openState(join(mkdtempSync(join(tmpdir(), "syncline-alert-rows-")), "state.db"));
    seedAlerts(state.sqlite, [
      {
        rule: "failed",
        sync: "orders",
        status: "firing",
        firing_since: Date.UTC(2026, 0, 2),
        resolved_at: null,
        run_id: "run_1",
        updated_at: Date.UTC(2026, 0, 2, 0, 1),
      },
      {
        rule: "stale",
        sync: "people",
        status: "resolved",
        firing_since: Date.UTC(2026, 0, 1),
        resolved_at: Date.UTC(2026, 0, 3),
        run_id: null,
        updated_at: Date.UTC(2026, 0, 3),
      },
    ]);

    const result = alertRows(config, new AlertStore(state.sqlite));
    if (!result.available) throw new Error(result.reason);
    expect(result.rows).toEqual([
      {
        name: "failed",
        sync: "people",
        condition: "a run failed",
        channels: ["ops"],
        state: "ok",
        since: null,
        lastNotifiedAt: null,
      },
      {
        name: "failed",
        sync: "orders",
        condition: "a run failed",
        channels: ["ops"],
        state: "firing",
        since: "2026-01-02T00:00:00.000Z",
        lastNotifiedAt: "2026-01-02T00:01:00.000Z",
      },
      {
        name: "stale",
        sync: "people",
        condition: "no run delivered for 6 h",
        channels: ["ops", "pager"],
        state: "ok",
        since: "2026-01-03T00:00:00.000Z",
        lastNotifiedAt: "2026-01-03T00:00:00.000Z",
      },
      {
        name: "share",
        sync: "orders",
        condition: "more than 5% of a run's records refused",
        channels: ["ops"],
        state: "ok",
        since: null,
        lastNotifiedAt: null,
      },
    ]);
  });

  it("says how to configure alerts when there are none", () => {
    state = openState(join(mkdtempSync(join(tmpdir(), "syncline-alert-rows-")), "state.db"));
    expect(alertRows(undefined, new AlertStore(state.sqlite))).toEqual({ available: false, reason: NO_ALERTS });
  });
});
