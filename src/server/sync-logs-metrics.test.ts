import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import { expect, it } from "vitest";
import { DEFAULTS } from "../config/defaults.ts";
import { Engine } from "../engine/index.ts";
import { silentLogger } from "../sdk/logger.ts";
import { openState } from "../state/database.ts";
import { SyncLogStore } from "../state/sync-log-store.ts";
import { attachSyncLogMetrics } from "./sync-logs-metrics.ts";

it("counts loads and failed loads per sync, and the runs still pending", async () => {
  const state = openState(join(mkdtempSync(join(tmpdir(), "syncline-metrics-")), "state.db"));
  const engine = new Engine({
    db: state.sqlite,
    syncs: new Map(),
    logger: silentLogger,
    changelogRetentionDays: DEFAULTS.changelog.retentionDays,
  });
  const registry = new Registry();
  const store = new SyncLogStore(state.sqlite);
  const detach = attachSyncLogMetrics(engine, store, registry);
  store.add("run_1", "people");
  engine.emit("sync-logs", { sync: "people", runId: "run_1", outcome: "failed", error: "permission denied" });
  engine.emit("sync-logs", { sync: "people", runId: "run_1", outcome: "failed", error: "permission denied" });
  engine.emit("sync-logs", { sync: "people", runId: "run_2", outcome: "loaded" });
  const text = await registry.metrics();
  expect(text).toContain('syncline_sync_logs_failures_total{sync="people"} 2');
  expect(text).toContain('syncline_sync_logs_loads_total{sync="people"} 1');
  expect(text).toContain("syncline_sync_logs_pending 1");
  detach();
  engine.emit("sync-logs", { sync: "people", runId: "run_3", outcome: "failed" });
  expect(await registry.metrics()).toContain('syncline_sync_logs_failures_total{sync="people"} 2');
  await engine.close(0);
  state.close();
});
