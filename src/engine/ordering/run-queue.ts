import { type RunOptions, sameOptions } from "../../state/run-store.ts";

interface Waiting {
  id: string;
  options: RunOptions;
}

/**
 * Runs waiting for their sync's current run to end, in the order they start. A sync has at most
 * one waiting run per set of options: a trigger joins the waiting run that will do what it asks
 * (every waiting run starts after the trigger arrived, so it sees the trigger's changes), and a
 * trigger asking for something else (a full resync, forced deletes) gets a run of its own.
 */
export class RunQueue {
  private readonly bySync = new Map<string, Waiting[]>();

  /** Runs waiting, over every sync. */
  get size(): number {
    let n = 0;
    for (const waiting of this.bySync.values()) n += waiting.length;
    return n;
  }

  /** The waiting run of this sync with these options, if any. */
  find(sync: string, options: RunOptions): string | undefined {
    return this.bySync.get(sync)?.find((run) => sameOptions(run.options, options))?.id;
  }

  push(sync: string, id: string, options: RunOptions): void {
    const waiting = this.bySync.get(sync) ?? [];
    waiting.push({ id, options });
    this.bySync.set(sync, waiting);
  }

  /** The next run of this sync to start, taken off the queue. */
  shift(sync: string): string | undefined {
    const waiting = this.bySync.get(sync);
    const next = waiting?.shift();
    if (waiting?.length === 0) this.bySync.delete(sync);
    return next?.id;
  }

  /** Takes a waiting run off the queue; false if it was not waiting. */
  remove(sync: string, id: string): boolean {
    const waiting = this.bySync.get(sync);
    const at = waiting?.findIndex((run) => run.id === id) ?? -1;
    if (!waiting || at < 0) return false;
    waiting.splice(at, 1);
    if (waiting.length === 0) this.bySync.delete(sync);
    return true;
  }

  /** Empties the queue, returning every run that was waiting. */
  clear(): string[] {
    const ids = [...this.bySync.values()].flatMap((waiting) => waiting.map((run) => run.id));
    this.bySync.clear();
    return ids;
  }
}
