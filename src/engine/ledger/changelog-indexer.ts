import { setImmediate as yieldToEvents } from "node:timers/promises";
import type Database from "better-sqlite3";
import { DEFAULTS } from "../../config/defaults.ts";
import type { Logger } from "../../sdk/logger.ts";
import { ChangelogIndex } from "../../state/changelog-index.ts";

/**
 * At a run's end: adds the changelog rows runs have appended to the index by record, a chunk
 * per transaction, yielding to the event loop between chunks (other runs and requests go on).
 * The batch commits never write that index: sorted here, a run's keys fill each page once,
 * where each commit would have written a page per record for keys in random order. Stops
 * between chunks when `signal` aborts. A failure is logged and never fails the run: the rows
 * stay readable by id, and the next run's end indexes them.
 */
export async function indexChangelog(
  db: Database.Database,
  logger: Logger,
  signal: AbortSignal,
  chunk: number = DEFAULTS.changelog.indexChunk,
): Promise<number> {
  let total = 0;
  try {
    const index = new ChangelogIndex(db);
    for (;;) {
      const rows = index.indexChunk(chunk);
      total += rows;
      if (rows < chunk || signal.aborted) break;
      await yieldToEvents();
    }
  } catch (error) {
    logger.warn({ err: (error as Error).message }, "could not index the record changelog; the next run will");
  }
  return total;
}
