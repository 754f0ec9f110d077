import { Cron } from "croner";
import { SequenceRunningError, type Sequencer } from "../engine/index.ts";
import type { Logger } from "../sdk/logger.ts";
import type { Schedule } from "./deps.ts";

/**
 * In-process cron (croner) for sequences with a `schedule`, beside the syncs' Scheduler. A
 * tick that finds the sequence still running is skipped (logged): a sequence never runs twice
 * at once, and the next tick starts it again.
 */
export class SequenceScheduler implements Schedule {
  private readonly jobs = new Map<string, Cron>();

  constructor(sequencer: Sequencer, logger: Logger, isDraining: () => boolean) {
    for (const name of sequencer.names()) {
      const pattern = sequencer.get(name).schedule;
      if (!pattern) continue;
      const job = new Cron(pattern, { name: `sequence:${name}`, paused: true, unref: true }, () => {
        if (isDraining()) return;
        try {
          const result = sequencer.trigger(name, { trigger: "schedule" });
          if ("run" in result) logger.info({ sequence: name, sequenceRunId: result.run.id }, "scheduled sequence run");
        } catch (error) {
          const still = error instanceof SequenceRunningError;
          logger[still ? "warn" : "error"](
            { sequence: name, err: (error as Error).message },
            still ? "scheduled sequence tick skipped: the sequence is still running" : "scheduled sequence refused",
          );
        }
      });
      this.jobs.set(name, job);
    }
  }

  start(): void {
    for (const job of this.jobs.values()) job.resume();
  }

  nextRun(sequence: string): Date | null {
    return this.jobs.get(sequence)?.nextRun() ?? null;
  }

  stop(): void {
    for (const job of this.jobs.values()) job.stop();
  }
}
