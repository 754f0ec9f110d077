import { Cron } from "croner";
import { type Engine, QueueFullError } from "../engine/index.ts";
import type { Logger } from "../sdk/logger.ts";
import type { Schedule } from "./deps.ts";

/**
 * In-process cron (croner), one job per sync that has a `schedule`. A tick triggers the sync
 * exactly like an API call (trigger `schedule`), so a tick that finds the sync running joins
 * the one queued run instead of starting another. Times are the process's local time zone
 * (UTC in the container image).
 */
export class Scheduler implements Schedule {
  private readonly jobs = new Map<string, Cron>();

  constructor(engine: Engine, schedules: Iterable<[sync: string, cron: string | undefined]>, logger: Logger) {
    for (const [sync, pattern] of schedules) {
      if (!pattern) continue;
      const job = new Cron(pattern, { name: `sync:${sync}`, paused: true, unref: true }, () => {
        if (engine.draining) return;
        try {
          const { run, coalesced } = engine.trigger(sync, { trigger: "schedule" });
          logger.info({ sync, runId: run.id, coalesced }, coalesced ? "scheduled tick joined a run" : "scheduled run");
        } catch (error) {
          const level = error instanceof QueueFullError ? "warn" : "error";
          logger[level]({ sync, err: (error as Error).message }, "scheduled trigger refused");
        }
      });
      this.jobs.set(sync, job);
    }
  }

  start(): void {
    for (const job of this.jobs.values()) job.resume();
  }

  nextRun(sync: string): Date | null {
    return this.jobs.get(sync)?.nextRun() ?? null;
  }

  stop(): void {
    for (const job of this.jobs.values()) job.stop();
  }
}
