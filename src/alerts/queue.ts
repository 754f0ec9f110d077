import { DEFAULTS } from "../config/defaults.ts";
import type { Logger } from "../sdk/logger.ts";
import type { AlertStore, OutboxEntry } from "../state/alert-store.ts";
import type { Channel } from "./channels/index.ts";
import type { Send } from "./deliver.ts";
import type { AlertMetrics } from "./metrics.ts";
import type { Notification } from "./notification.ts";

export interface QueueDeps {
  store: AlertStore;
  channels: ReadonlyMap<string, Channel>;
  send: Send;
  logger: Logger;
  metrics: AlertMetrics;
  now?: () => number;
}

/**
 * Delivers the outbox in the background: channels in parallel, each channel's notifications
 * in order. Nothing here is awaited by a run. A delivery that fails after its retries stays in
 * the outbox and is tried again later (1 min, doubling to 1 h, for up to a day) — also by the
 * next process, since the outbox is in the state file; a channel that refuses a notification
 * for good (a 4xx other than 401/403/408/429) drops it, with an error in the log.
 */
export class DeliveryQueue {
  private readonly deps: QueueDeps;
  private readonly now: () => number;
  private readonly abort = new AbortController();
  private pumping: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(deps: QueueDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  /** Delivers what is due, soon; returns at once. */
  kick(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      this.schedule();
    });
  }

  /**
   * Waits until nothing due is left undelivered (each notification tried once, with its
   * retries) or `timeoutMs` passes; true when the outbox has nothing due.
   */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = this.now() + timeoutMs;
    this.kick();
    while (!this.closed) {
      if (!this.pumping && this.dueCount() === 0) return true;
      const left = deadline - this.now();
      if (left <= 0) return false;
      if (!this.pumping) this.kick();
      await Promise.race([this.pumping, sleep(Math.min(left, 1000))]);
    }
    return false;
  }

  /** Stops: deliveries in flight get `graceMs`, then are aborted (they stay in the outbox). */
  async close(graceMs: number): Promise<void> {
    clearTimeout(this.timer);
    const inFlight = this.pumping;
    if (inFlight) {
      const timer = setTimeout(() => this.abort.abort(), graceMs);
      await inFlight;
      clearTimeout(timer);
    }
    this.closed = true;
  }

  private async pump(): Promise<void> {
    do {
      this.again = false;
      let due: OutboxEntry[];
      try {
        due = this.deps.store.due(this.now());
      } catch (error) {
        this.deps.logger.warn({ err: (error as Error).message }, "could not read the alert outbox");
        return;
      }
      const byChannel = new Map<string, OutboxEntry[]>();
      for (const entry of due) byChannel.set(entry.channel, [...(byChannel.get(entry.channel) ?? []), entry]);
      await Promise.all([...byChannel].map(([channel, entries]) => this.deliverInOrder(channel, entries)));
      if (due.length === 100) this.again = true;
    } while (this.again && !this.abort.signal.aborted);
  }

  private async deliverInOrder(name: string, entries: OutboxEntry[]): Promise<void> {
    try {
      for (const entry of entries) {
        if (!(await this.deliver(name, entry))) return; // keep the channel's order: the rest waits
      }
    } catch (error) {
      this.deps.logger.warn({ channel: name, err: (error as Error).message }, "could not update the alert outbox");
    }
  }

  /** One notification; true when it left the outbox. */
  private async deliver(name: string, entry: OutboxEntry): Promise<boolean> {
    const { store, logger, metrics } = this.deps;
    const notification = JSON.parse(entry.payload) as Notification;
    const about = { channel: name, rule: notification.rule.name, sync: notification.sync, kind: notification.kind };
    const channel = this.deps.channels.get(name);
    if (!channel) {
      logger.warn(about, "alert channel no longer configured: notification dropped");
      store.remove(entry.id);
      return true;
    }
    const result = await this.deps.send(channel, notification, this.abort.signal);
    if (result.accepted) {
      metrics.notifications.inc({ channel: name, kind: notification.kind, outcome: "sent" });
      store.remove(entry.id);
      logger.info({ ...about, type: channel.type, requests: result.requests }, "alert notification sent");
      return true;
    }
    metrics.notifications.inc({ channel: name, kind: notification.kind, outcome: "failed" });
    const attempts = entry.attempts + 1;
    const age = this.now() - entry.createdAt;
    if (result.error.kind === "permanent" || age >= DEFAULTS.alerts.maxAgeMs) {
      store.remove(entry.id);
      logger.error(
        { ...about, type: channel.type, err: result.message, attempts },
        result.error.kind === "permanent"
          ? "alert channel refused the notification: dropped — check the channel's configuration"
          : "alert notification could not be delivered for a day: dropped",
      );
      return true;
    }
    const wait = Math.min(DEFAULTS.alerts.redeliverMinMs * 2 ** (attempts - 1), DEFAULTS.alerts.redeliverMaxMs);
    const nextAttemptAt = this.now() + wait;
    store.defer(entry.id, nextAttemptAt, result.message);
    logger.warn(
      { ...about, type: channel.type, err: result.message, nextAttemptAt: new Date(nextAttemptAt).toISOString() },
      "alert channel unreachable or failing: notification kept for a later attempt (syncs are not affected)",
    );
    return false;
  }

  private dueCount(): number {
    try {
      return this.deps.store.due(this.now(), 1).length;
    } catch {
      return 0;
    }
  }

  /** Wakes up when the next deferred notification falls due (never keeps the process alive). */
  private schedule(): void {
    clearTimeout(this.timer);
    if (this.closed || this.abort.signal.aborted) return;
    let next: number | undefined;
    try {
      next = this.deps.store.nextDueAt();
    } catch {
      return;
    }
    if (next === undefined) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, next - this.now()));
    this.timer.unref();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
