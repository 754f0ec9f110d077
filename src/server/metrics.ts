import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Engine, EngineEvents, LimiterStats, QuotaState, Sequencer } from "../engine/index.ts";
import type { RunRecord } from "../state/run-store.ts";
import { changelogMetrics } from "./changelog-metrics.ts";
import { RUN_STATUSES } from "./schemas.ts";
import { sequenceMetrics } from "./sequence-metrics.ts";
import type { AppStores } from "./stores.ts";
import { attachSyncLogMetrics } from "./sync-logs-metrics.ts";

export interface Metrics {
  readonly registry: Registry;
  readonly contentType: string;
  render(): Promise<string>;
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
  close(): void;
}

/** What the HTTP service uses of the metrics (src/server/lazy-metrics.ts builds the registry later). */
export type ServiceMetrics = Omit<Metrics, "registry">;

export interface MetricsDeps {
  engine: Engine;
  /** Read at scrape time: the ledger's size, the changelog's rows, the sync logs pending. */
  stores: Pick<AppStores, "ledger" | "changelog" | "syncLogs">;
  /** Each destination's shared limiter, for rate-limit waits and quotas. */
  destinations: ReadonlyMap<string, { limiter: { stats: LimiterStats; quotas: QuotaState } }>;
  /** Sequence run metrics, when sequences are configured. */
  sequences?: Sequencer | undefined;
  /** Process metrics (CPU, memory, event loop lag); off in unit tests. */
  processMetrics?: boolean;
}

const CHANGES = ["added", "changed", "removed"] as const;

/**
 * Prometheus metrics in a registry of their own, fed by the engine's events (runs, records,
 * rows, batches) and read at scrape time from the state (ledger size) and the limiters.
 */
export function createMetrics(deps: MetricsDeps): Metrics {
  const registry = new Registry();
  if (deps.processMetrics) collectDefaultMetrics({ register: registry, prefix: "syncline_" });
  const registers = [registry];
  const syncs = deps.engine.syncNames();
  const { ledger } = deps.stores;

  const runs = new Counter({
    name: "syncline_runs_total",
    help: "Runs finished, by sync and final status",
    labelNames: ["sync", "status"] as const,
    registers,
  });
  const started = new Counter({
    name: "syncline_runs_started_total",
    help: "Runs started, by sync and trigger (api, webhook, schedule, startup, cli)",
    labelNames: ["sync", "trigger"] as const,
    registers,
  });
  const active = new Gauge({
    name: "syncline_runs_active",
    help: "Runs in progress",
    labelNames: ["sync"] as const,
    registers,
  });
  const records = new Counter({
    name: "syncline_records_total",
    help: "Records sent to destinations, by change (added, changed, removed) and outcome (succeeded, failed)",
    labelNames: ["sync", "change", "outcome"] as const,
    registers,
  });
  const rowsRead = new Counter({
    name: "syncline_rows_read_total",
    help: "Rows read from sources' models",
    labelNames: ["sync"] as const,
    registers,
  });
  const invalid = new Counter({
    name: "syncline_invalid_rows_total",
    help: "Rows rejected before sending (null or duplicate primary key)",
    labelNames: ["sync"] as const,
    registers,
  });
  const runSeconds = new Histogram({
    name: "syncline_run_duration_seconds",
    help: "Run duration, by sync and final status",
    labelNames: ["sync", "status"] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers,
  });
  const lastSuccess = new Gauge({
    name: "syncline_last_success_timestamp_seconds",
    help: "When the sync last finished a run with every record accepted",
    labelNames: ["sync"] as const,
    registers,
  });
  const batchSeconds = new Histogram({
    name: "syncline_batch_duration_seconds",
    help: "Destination batch latency (one batch, with its retries), by sync and destination",
    labelNames: ["sync", "destination"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  new Counter({
    name: "syncline_rate_limit_waits_total",
    help: "Destination calls that waited for the rate limit or a Retry-After pause",
    labelNames: ["destination"] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, destination] of deps.destinations)
        this.inc({ destination: name }, destination.limiter.stats.waits);
    },
  });
  new Counter({
    name: "syncline_rate_limit_pauses_total",
    help: "Pauses a destination ordered (429 with Retry-After)",
    labelNames: ["destination"] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, destination] of deps.destinations)
        this.inc({ destination: name }, destination.limiter.stats.pauses);
    },
  });
  const waitSeconds = new Counter({
    name: "syncline_destination_wait_seconds_total",
    help: "Time runs' calls were held in waits of 2 s or more, by sync, destination and cause (rate_limit, quota, retry)",
    labelNames: ["sync", "destination", "cause"] as const,
    registers,
  });
  /** The long wait each running run is in, if any (by run id). */
  const waiting = new Map<string, { sync: string; destination: string; cause: string; until: number }>();
  new Gauge({
    name: "syncline_destination_waiting_seconds",
    help: "Seconds left of the wait a running run's calls are held in now (0 when none), by sync, destination and cause",
    labelNames: ["sync", "destination", "cause"] as const,
    registers,
    collect() {
      this.reset();
      const now = Date.now();
      for (const { until, ...labels } of waiting.values()) {
        this.inc(labels, Math.max(0, until - now) / 1000);
      }
    },
  });
  new Gauge({
    name: "syncline_destination_quota_exhausted",
    help: "1 while a destination's quota is used up (refused, not reset, no call accepted since), by destination and quota",
    labelNames: ["destination", "quota"] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, destination] of deps.destinations)
        for (const { quota, exhausted } of destination.limiter.quotas.status())
          this.set({ destination: name, quota }, exhausted ? 1 : 0);
    },
  });
  new Gauge({
    name: "syncline_destination_quota_reset_timestamp_seconds",
    help: "When a used-up quota resets, as the destination said, by destination and quota",
    labelNames: ["destination", "quota"] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, destination] of deps.destinations)
        for (const { quota, exhausted, resetsAt } of destination.limiter.quotas.status())
          if (exhausted && resetsAt !== undefined) this.set({ destination: name, quota }, resetsAt / 1000);
    },
  });
  const stoppedOnQuota = new Gauge({
    name: "syncline_last_run_quota_exhausted",
    help: "1 when the sync's last finished run stopped sending because a destination quota was used up (the rest waits for the next run)",
    labelNames: ["sync"] as const,
    registers,
  });
  new Gauge({
    name: "syncline_ledger_records",
    help: "Records in the retry ledger (failed, retried on every run), by sync",
    labelNames: ["sync"] as const,
    registers,
    collect() {
      this.reset();
      let counts: Map<string, number>;
      try {
        counts = ledger.countsBySync();
      } catch {
        return; // the state is closed (shutting down): report nothing rather than fail the scrape
      }
      for (const sync of syncs) this.set({ sync }, counts.get(sync) ?? 0);
    },
  });
  const requests = new Histogram({
    name: "syncline_http_request_duration_seconds",
    help: "HTTP API latency, by method, route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30, 300],
    registers,
  });

  for (const sync of syncs) {
    for (const status of RUN_STATUSES) if (status !== "queued" && status !== "running") runs.inc({ sync, status }, 0);
    for (const change of CHANGES) {
      records.inc({ sync, change, outcome: "succeeded" }, 0);
      records.inc({ sync, change, outcome: "failed" }, 0);
    }
    rowsRead.inc({ sync }, 0);
    invalid.inc({ sync }, 0);
    active.set({ sync }, 0);
    stoppedOnQuota.set({ sync }, 0);
  }

  const running = new Set<string>();
  const onStarted = (run: RunRecord) => {
    running.add(run.id);
    started.inc({ sync: run.sync, trigger: run.trigger });
    active.inc({ sync: run.sync });
  };
  const onFinished = (run: RunRecord) => {
    waiting.delete(run.id);
    if (running.delete(run.id)) active.dec({ sync: run.sync });
    runs.inc({ sync: run.sync, status: run.status });
    stoppedOnQuota.set({ sync: run.sync }, run.error?.code === "quota_exhausted" ? 1 : 0);
    if (run.startedAt !== null && run.finishedAt !== null) {
      runSeconds.observe({ sync: run.sync, status: run.status }, (run.finishedAt - run.startedAt) / 1000);
    }
    if (run.status === "succeeded" && run.finishedAt !== null)
      lastSuccess.set({ sync: run.sync }, run.finishedAt / 1000);
    const counts = run.counts;
    if (!counts) return;
    for (const change of CHANGES) {
      records.inc({ sync: run.sync, change, outcome: "succeeded" }, counts.succeeded[change]);
      records.inc({ sync: run.sync, change, outcome: "failed" }, counts.failed[change]);
    }
    rowsRead.inc({ sync: run.sync }, counts.rowsRead);
    invalid.inc({ sync: run.sync }, counts.invalid);
  };
  const onBatch = (batch: { sync: string; destination: string; ms: number }) => {
    batchSeconds.observe({ sync: batch.sync, destination: batch.destination }, batch.ms / 1000);
  };
  const onWait = (wait: EngineEvents["wait"][0]) => {
    const labels = { sync: wait.sync, destination: wait.destination, cause: wait.cause };
    waitSeconds.inc(labels, wait.ms / 1000);
    waiting.set(wait.runId, { ...labels, until: wait.until });
  };
  deps.engine.on("run:started", onStarted);
  deps.engine.on("run:finished", onFinished);
  deps.engine.on("batch", onBatch);
  deps.engine.on("wait", onWait);
  const closeChangelog = changelogMetrics(registry, deps.engine, deps.stores.changelog);
  const detachSequences = deps.sequences ? sequenceMetrics(registry, deps.sequences) : () => {};
  const detachSyncLogs = attachSyncLogMetrics(deps.engine, deps.stores.syncLogs, registry);

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeRequest(labels, seconds) {
      requests.observe({ method: labels.method, route: labels.route, status: String(labels.status) }, seconds);
    },
    close() {
      deps.engine.off("run:started", onStarted);
      deps.engine.off("run:finished", onFinished);
      deps.engine.off("batch", onBatch);
      deps.engine.off("wait", onWait);
      closeChangelog();
      detachSequences();
      detachSyncLogs();
    },
  };
}
