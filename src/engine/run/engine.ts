import { EventEmitter } from "node:events";
import type Database from "better-sqlite3";
import { DEFAULTS } from "../../config/defaults.ts";
import { classify } from "../../sdk/errors/classify.ts";
import type { Logger } from "../../sdk/logger.ts";
import { CallStore } from "../../state/call-store.ts";
import { FINISHED, normalizeOptions, type RunOptions, type RunRecord, RunStore } from "../../state/run-store.ts";
import { TriggerKeys } from "../../state/trigger-keys.ts";
import type { SyncIdentity } from "../delta/identity.ts";
import { ChangelogPruner } from "../ledger/changelog-pruner.ts";
import { QueueFullError } from "../ordering/queue-full-error.ts";
import { RunQueue } from "../ordering/run-queue.ts";
import type { RunCounts } from "../shared/counts.ts";
import type { SourceHandle } from "../shared/source-handle.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { CallBuffer } from "../sink/call-buffer.ts";
import { contextFor, type DestinationHandle } from "../sink/destination-handle.ts";
import type { Wait } from "../sink/waits.ts";
import { SyncLogShipper } from "../sync-logs/shipper.ts";
import type { EntriesForRun, SyncLogsOutcome } from "../sync-logs/types.ts";
import { UnknownSyncError } from "./errors.ts";
import { executeRun } from "./run.ts";

export interface EngineSync {
  spec: SyncSpec;
  source: SourceHandle;
  destination: DestinationHandle;
  identity: SyncIdentity;
}

export interface EngineEvents {
  "run:started": [RunRecord];
  "run:finished": [RunRecord];
  progress: [{ runId: string; sync: string; phase: "planning" | "sending"; counts: RunCounts }];
  batch: [{ sync: string; destination: string; records: number; ms: number }];
  /** A run's calls are held for a while (DEFAULTS.sink.reportWaitMs or more): rate limit, quota, retry. */
  wait: [Wait & { runId: string; sync: string }];
  /** A run's warehouse sync logs were loaded, or could not be (docs/sync-logs.md). */
  "sync-logs": [SyncLogsOutcome];
  /** Changelog rows older than the retention were deleted. */
  "changelog:pruned": [{ rows: number }];
}

export interface EngineOptions {
  db: Database.Database;
  syncs: ReadonlyMap<string, EngineSync>;
  logger: Logger;
  /** Warehouse sync logs: the state's changelog per run, and the redaction of failure texts. */
  syncLogs?: { entries?: EntriesForRun | undefined; redact?: ((text: string) => string) | undefined } | undefined;
  /** Days the record changelog is kept (config `changelog.retentionDays`, resolved). */
  changelogRetentionDays: number;
}

export interface TriggerInput {
  /** Who asked: api, webhook, schedule, startup, cli. */
  trigger: string;
  options?: RunOptions;
  /** A retried trigger with the same key returns the same run, for as long as the run is kept. */
  idempotencyKey?: string | undefined;
  /** A value that may start one trigger only, until it expires (a signed request's signature). */
  once?: { value: string; expiresAt: number } | undefined;
}

export interface Triggered {
  run: RunRecord;
  /** The trigger joined a run that already existed (queued, or the one its key or signature maps to). */
  coalesced: boolean;
  /** The idempotency key was known: this is its run. */
  replayed: boolean;
  /** The single-use value had already been used: nothing was done. */
  reused: boolean;
}

interface Active {
  runId: string;
  cancel: AbortController;
  done: Promise<RunRecord>;
}

/**
 * The engine's front door, used by the CLI and the HTTP service alike: triggers runs, keeps
 * one run per sync at a time with runs queued behind it (a trigger joins the queued run with its
 * options), remembers idempotency keys and single-use signatures,
 * cancels, and shuts down gracefully. It holds no HTTP or CLI concerns.
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly runs: RunStore;
  private readonly active = new Map<string, Active>();
  private readonly queue = new RunQueue();
  private readonly keys: TriggerKeys;
  private readonly shutdown = new AbortController();
  private readonly abort = new AbortController();
  private readonly db: Database.Database;
  private readonly syncs: ReadonlyMap<string, EngineSync>;
  private readonly logger: Logger;
  private readonly logs: SyncLogShipper;
  private readonly calls: CallBuffer;
  /** Deletes changelog rows past the retention, in small chunks between runs (and on serve's timer). */
  readonly pruner: ChangelogPruner;

  constructor(options: EngineOptions) {
    super();
    this.db = options.db;
    this.calls = new CallBuffer(new CallStore(options.db));
    this.pruner = new ChangelogPruner(options.db, options.changelogRetentionDays, {
      logger: options.logger,
      onPruned: (rows) => this.emit("changelog:pruned", { rows }),
    });
    this.syncs = options.syncs;
    this.logger = options.logger;
    this.logs = new SyncLogShipper({
      db: options.db,
      syncs: options.syncs,
      logger: options.logger,
      entries: options.syncLogs?.entries,
      redact: options.syncLogs?.redact,
      onOutcome: (outcome) => this.emit("sync-logs", outcome),
      signal: this.abort.signal,
    });
    this.runs = new RunStore(options.db);
    this.keys = new TriggerKeys(options.db);
    const recovered = this.runs.recoverInterrupted();
    if (recovered > 0) this.logger.warn({ runs: recovered }, "marked runs left by a stopped process as interrupted");
  }

  get draining(): boolean {
    return this.shutdown.signal.aborted;
  }

  syncNames(): string[] {
    return [...this.syncs.keys()];
  }

  sync(name: string): EngineSync {
    const sync = this.syncs.get(name);
    if (!sync) throw new UnknownSyncError(name, this.syncNames());
    return sync;
  }

  /**
   * Starts a run, or queues it when the sync is running. A trigger that finds a queued run with
   * the same options joins it (coalesced); other options get a queued run of their own. A
   * known idempotency key returns its run (replayed); a single-use value (a request's
   * signature) already used returns its run marked `reused`, and nothing is done.
   */
  trigger(name: string, input: TriggerInput = { trigger: "api" }): Triggered {
    this.sync(name);
    if (this.draining) throw new QueueFullError(0);
    const options = normalizeOptions(input.options);
    // IMMEDIATE: a process sharing the state file cannot map the same key or signature meanwhile.
    const result = this.db
      .transaction((): Triggered => {
        const usedId = input.once && this.keys.runForSignature(input.once.value);
        const used = usedId ? this.runs.get(usedId) : undefined;
        if (used) return { run: used, coalesced: true, replayed: false, reused: true };
        const knownId = input.idempotencyKey && this.keys.runForKey(name, input.idempotencyKey);
        const known = knownId ? this.runs.get(knownId) : undefined;
        const queuedId = known ? undefined : this.queue.find(name, options);
        let run = known ?? (queuedId ? this.runs.get(queuedId) : undefined);
        const coalesced = run !== undefined;
        if (!run) {
          if (this.active.has(name) && this.queue.size >= DEFAULTS.server.maxQueued) {
            throw new QueueFullError(DEFAULTS.server.maxQueued);
          }
          run = this.runs.create({ sync: name, trigger: input.trigger, options });
        }
        if (input.idempotencyKey && !known) this.keys.rememberKey(name, input.idempotencyKey, run.id);
        if (input.once) this.keys.rememberSignature(input.once.value, run.id, input.once.expiresAt);
        return { run, coalesced, replayed: known !== undefined, reused: false };
      })
      .immediate();
    if (!result.coalesced) {
      if (this.active.has(name)) this.queue.push(name, result.run.id, options);
      else this.start(name, result.run);
    }
    return result;
  }

  /** Triggers and waits for the run to finish (the CLI's `run`). */
  async runNow(name: string, options: RunOptions = {}, trigger = "cli"): Promise<RunRecord> {
    const { run } = this.trigger(name, { trigger, options });
    return this.wait(run.id);
  }

  /** Resolves when the run finishes, or after `timeoutMs` with its current state. */
  async wait(runId: string, timeoutMs = Number.POSITIVE_INFINITY): Promise<RunRecord> {
    const current = this.runs.get(runId);
    if (!current || FINISHED.includes(current.status)) return current!;
    return new Promise((resolve) => {
      const timer =
        timeoutMs === Number.POSITIVE_INFINITY
          ? undefined
          : setTimeout(() => {
              this.off("run:finished", onFinished);
              resolve(this.runs.get(runId)!);
            }, timeoutMs);
      const onFinished = (run: RunRecord) => {
        if (run.id !== runId) return;
        clearTimeout(timer);
        this.off("run:finished", onFinished);
        resolve(run);
      };
      this.on("run:finished", onFinished);
    });
  }

  /** Resolves once the warehouse sync logs of the runs finished so far are loaded or left pending. */
  syncLogsSettled(): Promise<void> {
    return this.logs.idle();
  }

  /** Cancels a queued run at once, a running one at its next batch boundary. */
  cancel(runId: string): RunRecord | undefined {
    const run = this.runs.get(runId);
    if (!run) return undefined;
    if (run.status === "queued" && this.queue.remove(run.sync, runId)) {
      const cancelled = this.runs.finish(runId, { status: "cancelled" });
      this.emit("run:finished", cancelled);
      return cancelled;
    }
    const active = this.active.get(run.sync);
    if (active?.runId === runId) active.cancel.abort();
    return this.runs.get(runId);
  }

  /**
   * Stops taking runs, lets batches in flight finish and commit within `graceMs`, then
   * aborts what is left; runs not finished end `interrupted`. Nothing delivered is lost.
   */
  async close(graceMs: number = DEFAULTS.server.shutdownGraceMs): Promise<void> {
    this.shutdown.abort();
    for (const runId of this.queue.clear()) {
      this.emit("run:finished", this.runs.finish(runId, { status: "interrupted" }));
    }
    const pending = [...this.active.values()].map((active) => active.done);
    const timer = setTimeout(() => this.abort.abort(), graceMs);
    await Promise.allSettled(pending);
    // The runs' log loads get the same grace; one cut short (even by a driver that ignores the
    // abort) stays pending for the next run.
    await Promise.race([this.logs.idle(), aborted(this.abort.signal)]);
    clearTimeout(timer);
    await this.pruner.stop();
    // Sources close even when the state file cannot be written; the state's error is raised after.
    let failure: unknown;
    try {
      this.runs.markOwnInterrupted();
    } catch (error) {
      failure = error;
    }
    for (const sync of this.syncs.values())
      await sync.source.plugin.close?.(sourceCloseContext(sync.source, this.logger));
    // Destinations hold pools too (database destinations); each instance closes once.
    for (const destination of new Set([...this.syncs.values()].map((sync) => sync.destination))) {
      try {
        await destination.plugin.close?.(contextFor(destination, this.logger, new AbortController().signal));
      } catch (error) {
        const err = destination.redact(classify(error).describe());
        this.logger.warn({ destination: destination.name, err }, "closing a destination failed");
      }
    }
    if (failure !== undefined) throw failure;
  }

  /**
   * The run could not even record its outcome (the state file is locked or unwritable). Its
   * committed batches stand; the record is retried once, else left for the next start to mark
   * interrupted.
   */
  private failedToRecord(run: RunRecord, error: unknown, logger: Logger): RunRecord {
    const reason = classify(error);
    logger.error({ err: reason.describe() }, "could not record the run's outcome");
    try {
      return this.runs.finish(run.id, { status: "failed", error: { code: reason.code, message: reason.describe() } });
    } catch {
      return { ...run, status: "failed", error: { code: reason.code, message: reason.describe() } };
    }
  }

  private start(name: string, run: RunRecord): void {
    const sync = this.sync(name);
    const cancel = new AbortController();
    const logger = this.logger.child({ sync: name, runId: run.id });
    this.emit("run:started", { ...run, status: "running" });
    const done = executeRun(
      run,
      {
        db: this.db,
        spec: sync.spec,
        source: sync.source,
        destination: sync.destination,
        identity: sync.identity,
        logger,
        calls: this.calls,
      },
      {
        cancel: cancel.signal,
        shutdown: this.shutdown.signal,
        abort: this.abort.signal,
        onProgress: (phase, counts) => this.emit("progress", { runId: run.id, sync: name, phase, counts }),
        onBatch: (info) => this.emit("batch", { sync: name, destination: sync.destination.name, ...info }),
        onWait: (wait) => this.emit("wait", { runId: run.id, sync: name, ...wait }),
      },
    )
      .catch((error: unknown) => this.failedToRecord(run, error, logger))
      .then((finished) => {
        this.active.delete(name);
        // Calls answered after the run's last commit (a response body still being read).
        this.calls.flush();
        logger.info({ status: finished.status, counts: finished.counts }, "run finished");
        this.emit("run:finished", finished);
        void this.logs.afterRun(finished); // after the run is reported finished; never throws
        const next = this.draining ? undefined : this.queue.shift(name);
        const queued = next ? this.runs.get(next) : undefined;
        if (queued?.status === "queued") this.start(name, queued);
        else void this.pruner.run();
        return finished;
      });
    this.active.set(name, { runId: run.id, cancel, done });
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

function sourceCloseContext(source: SourceHandle, logger: Logger) {
  return {
    config: source.config,
    logger,
    signal: new AbortController().signal,
    state: source.state,
    baseDir: source.baseDir,
  };
}
