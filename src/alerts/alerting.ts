import type Database from "better-sqlite3";
import type { Registry } from "prom-client";
import { DEFAULTS } from "../config/defaults.ts";
import type { Logger } from "../sdk/logger.ts";
import { AlertStore } from "../state/alert-store.ts";
import { LedgerStore } from "../state/ledger-store.ts";
import { type RunRecord, RunStore } from "../state/run-store.ts";
import { type Channel, createChannel } from "./channels/index.ts";
import type { AlertRule, AlertsConfig } from "./config.ts";
import { createSender, SEND_RETRIES, type Send } from "./deliver.ts";
import { AlertMetrics } from "./metrics.ts";
import { buildNotification, sanitise } from "./notification.ts";
import { DeliveryQueue } from "./queue.ts";
import { evaluate, type Facts, type Occasion, TIME_BASED, type Verdict } from "./rules.ts";

/** The engine as the alerting sees it: the runs that finish. */
export interface RunEvents {
  on(event: "run:finished", listener: (run: RunRecord) => void): unknown;
  off(event: "run:finished", listener: (run: RunRecord) => void): unknown;
}

export interface AlertingDeps {
  config: AlertsConfig;
  db: Database.Database;
  engine: RunEvents;
  redact: (text: string) => string;
  logger: Logger;
  /** For tests: how notifications are sent, and the clock. */
  send?: Send;
  now?: () => number;
}

/**
 * Alerting in this process. Rules are evaluated when a run finishes (after the engine has
 * moved on: evaluation is deferred and never throws into the engine) and, for time-based
 * rules, on a timer; a change of an alert's status is written with its notifications in one
 * transaction and delivered from the outbox in the background, so neither a slow channel
 * nor a failing one can hold up or fail a run.
 */
export class Alerting {
  readonly metrics: AlertMetrics;
  readonly channels: ReadonlyMap<string, Channel>;
  private readonly deps: AlertingDeps;
  private readonly store: AlertStore;
  private readonly facts: Facts;
  private readonly queue: DeliveryQueue;
  private readonly now: () => number;
  private readonly since: number;
  private readonly evaluations = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly onFinished = (run: RunRecord) => this.defer(() => this.evaluateRun(run));

  constructor(deps: AlertingDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.since = this.now();
    this.store = new AlertStore(deps.db);
    const runs = new RunStore(deps.db);
    const ledger = new LedgerStore(deps.db);
    this.facts = {
      lastDelivered: (sync) => runs.lastWith(sync, ["succeeded", "partial"]),
      firstRunAt: (sync) => runs.firstCreatedAt(sync),
      running: (sync) => runs.running(sync),
      ledgerOlderThan: (sync, before) => ledger.olderThan(sync, before),
    };
    this.channels = new Map([...deps.config.channels].map(([name, config]) => [name, createChannel(config)]));
    this.metrics = new AlertMetrics(this.store, deps.config.rules);
    this.queue = new DeliveryQueue({
      store: this.store,
      channels: this.channels,
      send: deps.send ?? createSender({ ...SEND_RETRIES, redact: deps.redact }),
      logger: deps.logger,
      metrics: this.metrics,
      now: this.now,
    });
    this.forgetUnconfigured();
    deps.engine.on("run:finished", this.onFinished);
    this.queue.kick(); // what a previous process left undelivered
  }

  /** Checks time-based rules every `evaluateEvery` (under `serve`); the timer keeps no process alive. */
  start(): void {
    if (this.timer || !this.deps.config.rules.some((rule) => TIME_BASED.includes(rule.type))) return;
    this.timer = setInterval(() => this.defer(() => this.evaluateTimeBased()), this.deps.config.evaluateEveryMs);
    this.timer.unref();
  }

  attachMetrics(registry: Registry): void {
    this.metrics.attach(registry);
  }

  /** Every rule about a finished run's sync (time-based ones too: the run may resolve them). */
  evaluateRun(run: RunRecord): void {
    for (const rule of this.deps.config.rules) {
      if (rule.syncs.includes(run.sync)) this.decide(rule, run.sync, run);
    }
    this.queue.kick();
  }

  evaluateTimeBased(): void {
    for (const rule of this.deps.config.rules) {
      if (!TIME_BASED.includes(rule.type)) continue;
      for (const sync of rule.syncs) this.decide(rule, sync, undefined);
    }
    this.queue.kick();
  }

  /**
   * Waits for pending evaluations, then for the outbox to be delivered, up to `timeoutMs`.
   * True when nothing due is left undelivered.
   */
  async flush(timeoutMs: number = DEFAULTS.alerts.flushTimeoutMs): Promise<boolean> {
    await Promise.all(this.evaluations);
    return this.queue.flush(timeoutMs);
  }

  /**
   * Stops: evaluates what is pending, delivers for up to `flushMs`, then aborts what is still
   * in flight — it stays in the outbox, and the next process sends it.
   */
  async close(flushMs: number = DEFAULTS.alerts.flushTimeoutMs): Promise<void> {
    clearInterval(this.timer);
    this.deps.engine.off("run:finished", this.onFinished);
    await this.flush(flushMs);
    await this.queue.close(0);
    const pending = this.store.pending();
    if (pending > 0) {
      this.deps.logger.warn({ pending }, "alert notifications not delivered yet: kept for the next start");
    }
  }

  /**
   * An alert whose rule was removed from the config, or no longer watches its sync, can never
   * resolve: it is forgotten (without a notification; its channels may be gone too).
   */
  private forgetUnconfigured(): void {
    const watched = new Set(
      this.deps.config.rules.flatMap((rule) => rule.syncs.map((sync) => `${rule.name}\n${sync}`)),
    );
    for (const row of this.store.all()) {
      if (watched.has(`${row.rule}\n${row.sync}`)) continue;
      this.store.forget(row.rule, row.sync);
      if (row.status === "firing") {
        this.deps.logger.info({ rule: row.rule, sync: row.sync }, "forgot a firing alert its rule no longer watches");
      }
    }
  }

  /** Runs `fn` after the current event (the engine's emit returns at once); errors are logged, never thrown. */
  private defer(fn: () => void): void {
    const done = new Promise<void>((resolve) =>
      setImmediate(() => {
        try {
          fn();
        } catch (error) {
          this.deps.logger.warn({ err: (error as Error).message }, "alert evaluation failed; runs are not affected");
        } finally {
          resolve();
        }
      }),
    );
    this.evaluations.add(done);
    void done.then(() => this.evaluations.delete(done));
  }

  private decide(rule: AlertRule, sync: string, run: RunRecord | undefined): void {
    const now = this.now();
    const occasion: Occasion = { run, now, facts: this.facts, since: this.since };
    const verdict = evaluate(rule, sync, occasion);
    if (verdict) this.transition(rule, sync, verdict, now);
  }

  /** Records a change of status with its notifications, atomically; no change, no notification. */
  private transition(rule: AlertRule, sync: string, verdict: Verdict, now: number): void {
    this.store.atomically(() => {
      const previous = this.store.get(rule.name, sync);
      const firing = previous?.status === "firing";
      if (verdict.firing === firing) return;
      const firingSince = verdict.firing ? now : previous!.firingSince;
      this.store.put({
        rule: rule.name,
        sync,
        status: verdict.firing ? "firing" : "resolved",
        firingSince,
        resolvedAt: verdict.firing ? null : now,
        runId: verdict.run?.id ?? null,
        updatedAt: now,
      });
      const kind = verdict.firing ? "firing" : "resolved";
      const notification = sanitise(
        buildNotification({ kind, rule, sync, verdict, firingSince, now, publicUrl: this.deps.config.publicUrl }),
        this.deps.redact,
        DEFAULTS.alerts.reasonMaxChars,
      );
      const payload = JSON.stringify(notification);
      for (const channel of rule.channels) this.store.enqueue(channel, payload, now);
      this.deps.logger.info({ rule: rule.name, sync, status: kind, summary: notification.summary }, `alert ${kind}`);
    });
  }
}
