import type Database from "better-sqlite3";
import { classify } from "../../sdk/errors/classify.ts";
import type { Logger } from "../../sdk/logger.ts";
import { FINISHED, type RunRecord, RunStore } from "../../state/run-store.ts";
import { SyncLogStore } from "../../state/sync-log-store.ts";
import { noRedaction, type Redact } from "../ledger/redact-error.ts";
import { type SourceHandle, sourceContext } from "../shared/source-handle.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { loadRunLogs } from "./loader.ts";
import { type EntriesForRun, noEntries, type SyncLogsOutcome } from "./types.ts";

export interface ShipperOptions {
  db: Database.Database;
  syncs: ReadonlyMap<string, { spec: SyncSpec; source: SourceHandle }>;
  logger: Logger;
  /** The state's changelog of a run (wired by the host to src/state/changelog-store.ts). */
  entries?: EntriesForRun | undefined;
  redact?: Redact | undefined;
  onOutcome?: (outcome: SyncLogsOutcome) => void;
  /** Aborts loads in flight (the engine's hard stop). */
  signal: AbortSignal;
}

/**
 * Loads finished runs' logs into their sync's warehouse, after the run has been reported
 * finished. A run is first recorded as pending in the state; a load that fails (an
 * unwritable schema, a warehouse down) is a warning, a metric and a pending load retried after
 * the sync's next run — it never changes the run or holds up the next one. Loads of a sync run
 * one at a time, oldest run first, so a record's latest status is never overwritten by an
 * older run's.
 */
export class SyncLogShipper {
  private readonly options: ShipperOptions;
  private readonly store: SyncLogStore;
  private readonly runs: RunStore;
  private readonly chains = new Map<string, Promise<void>>();

  constructor(options: ShipperOptions) {
    this.options = options;
    this.store = new SyncLogStore(options.db);
    this.runs = new RunStore(options.db);
  }

  /** Records the run's logs as pending, then loads the sync's pending runs; never throws. */
  afterRun(run: RunRecord): Promise<void> {
    const sync = this.options.syncs.get(run.sync);
    if (!sync?.spec.syncLogs) return Promise.resolve();
    try {
      this.store.add(run.id, run.sync);
    } catch (error) {
      this.options.logger.warn(
        { sync: run.sync, runId: run.id, err: this.describe(error) },
        "could not record the run's sync logs as pending; they will not be loaded",
      );
      return Promise.resolve();
    }
    const next = (this.chains.get(run.sync) ?? Promise.resolve())
      .then(() => this.drain(run.sync))
      .catch((error: unknown) =>
        this.options.logger.warn({ sync: run.sync, err: this.describe(error) }, "sync logs: could not load"),
      );
    this.chains.set(run.sync, next);
    return next;
  }

  /** Resolves once every load started so far has ended (loaded or left pending). */
  async idle(): Promise<void> {
    while (this.chains.size > 0) {
      const chains = [...this.chains.entries()];
      await Promise.all(chains.map(([, chain]) => chain));
      for (const [sync, chain] of chains) if (this.chains.get(sync) === chain) this.chains.delete(sync);
    }
  }

  private async drain(syncName: string): Promise<void> {
    const sync = this.options.syncs.get(syncName);
    const schema = sync?.spec.syncLogs?.schema;
    const access = sync?.source.plugin.warehouse;
    if (!sync || !schema || !access) return;
    const logger = this.options.logger.child({ sync: syncName, component: "sync-logs" });
    let pending: ReturnType<SyncLogStore["pending"]>;
    try {
      pending = this.store.pending(syncName);
    } catch (error) {
      logger.warn({ err: this.describe(error) }, "could not read the pending sync logs");
      return;
    }
    for (const load of pending) {
      if (this.options.signal.aborted) return;
      const run = this.runs.get(load.runId);
      if (!run) {
        this.store.loaded(load.runId); // the run is gone from the state: nothing to load
        continue;
      }
      if (!FINISHED.includes(run.status)) return;
      const target = { access, ctx: sourceContext(sync.source, logger, this.options.signal), schema };
      try {
        const rows = await loadRunLogs(run, target, {
          store: this.store,
          entries: this.options.entries ?? noEntries,
          logger,
        });
        this.store.loaded(run.id);
        logger.debug({ runId: run.id, rows }, "sync logs loaded");
        this.options.onOutcome?.({ sync: syncName, runId: run.id, outcome: "loaded", rows });
      } catch (error) {
        const message = this.describe(error);
        logger.warn(
          { runId: run.id, schema, source: sync.source.name, attempts: load.attempts + 1, err: message },
          `could not load the sync logs of run ${run.id} into schema "${schema}" of source "${sync.source.name}" — check that its user may create and write tables there (or set another syncLogs.schema); the run itself is unaffected and the load is retried after the sync's next run`,
        );
        this.options.onOutcome?.({ sync: syncName, runId: run.id, outcome: "failed", error: message });
        try {
          this.store.failed(run.id, message);
        } catch {}
        return; // later runs wait: loading them first would let an older status win
      }
    }
  }

  private describe(error: unknown): string {
    return (this.options.redact ?? noRedaction)(classify(error).describe());
  }
}
