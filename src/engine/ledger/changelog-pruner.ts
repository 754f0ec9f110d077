import { setImmediate as yieldToEvents } from "node:timers/promises";
import type Database from "better-sqlite3";
import { DEFAULTS } from "../../config/defaults.ts";
import type { Logger } from "../../sdk/logger.ts";
import { ChangelogStore } from "../../state/changelog-store.ts";

const DAY_MS = 24 * 60 * 60_000;

/**
 * Deletes changelog rows older than the retention, a small chunk per statement, yielding to the
 * event loop between chunks: a batch commit of a run in progress waits for one chunk at most,
 * never for the whole prune. One prune at a time; a failure (the state file busy) is logged and
 * left for the next prune — it never fails a run.
 */
export class ChangelogPruner {
  private readonly store: ChangelogStore;
  private readonly retentionMs: number;
  private readonly options: { logger: Logger; onPruned?: (rows: number) => void; now?: () => number };
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    db: Database.Database,
    retentionDays: number,
    options: { logger: Logger; onPruned?: (rows: number) => void; now?: () => number },
  ) {
    this.store = new ChangelogStore(db);
    this.retentionMs = retentionDays * DAY_MS;
    this.options = options;
  }

  /** No more pruning (the state file is closing); a prune under way stops after its chunk. */
  stop(): Promise<unknown> {
    this.stopped = true;
    return this.running ?? Promise.resolve();
  }

  /** Prunes what is past the retention now; resolves with how many rows went (0 if one was already running). */
  run(chunk: number = DEFAULTS.changelog.pruneChunk): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    if (this.running) return this.running.then(() => 0);
    this.running = this.prune(chunk).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async prune(chunk: number): Promise<number> {
    const before = (this.options.now?.() ?? Date.now()) - this.retentionMs;
    let total = 0;
    try {
      for (;;) {
        const deleted = this.store.pruneChunk(before, chunk);
        total += deleted;
        if (deleted > 0) this.options.onPruned?.(deleted);
        if (deleted < chunk || this.stopped) break;
        await yieldToEvents();
      }
    } catch (error) {
      this.options.logger.warn(
        { err: (error as Error).message },
        "could not prune the record changelog; will try again",
      );
    }
    if (total > 0) this.options.logger.info({ rows: total }, "pruned the record changelog");
    return total;
  }
}
