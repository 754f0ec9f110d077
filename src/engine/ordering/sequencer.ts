import { EventEmitter } from "node:events";
import type Database from "better-sqlite3";
import { DEFAULTS } from "../../config/defaults.ts";
import { classify } from "../../sdk/errors/classify.ts";
import type { Logger } from "../../sdk/logger.ts";
import type { RunRecord } from "../../state/run-store.ts";
import { type SequenceRunRecord, SequenceRunStore, type SequenceStatus } from "../../state/sequence-run-store.ts";
import { TriggerKeys } from "../../state/trigger-keys.ts";
import type { Engine } from "../run/engine.ts";
import { QueueFullError } from "./queue-full-error.ts";
import { SequenceRunningError, UnknownSequenceError } from "./sequence-errors.ts";
import type { SequenceSpec } from "./sequence-spec.ts";

export interface SequenceEvents {
  "sequence:started": [SequenceRunRecord];
  "sequence:finished": [SequenceRunRecord];
}

export interface SequenceTrigger {
  /** Who asked: api, webhook, schedule, cli. */
  trigger: string;
  idempotencyKey?: string | undefined;
  once?: { value: string; expiresAt: number } | undefined;
}

export interface SequenceTriggered {
  run: SequenceRunRecord;
  /** The idempotency key was known: this is its run. */
  replayed: boolean;
}

/** Idempotency keys of sequences live beside the syncs' ones, scoped so no sync name can collide. */
const keyScope = (sequence: string) => `sequence:${sequence}`;

/**
 * Runs sequences: each member is triggered through the engine like any run (so a member that
 * is already running on its own is queued behind that run, never run twice at once) and
 * awaited before the next one starts. A sequence runs at most once at a time, across
 * processes sharing the state file: a trigger while it runs gets SequenceRunningError.
 *
 * Outcomes: a `partial` member (some records rejected, kept in the retry ledger) lets the
 * sequence go on, as a finished run with row errors does in Hightouch and Census; a `failed`
 * member stops the rest (`onFailure: stop`) or not (`continue`); a cancelled or interrupted
 * member ends the sequence cancelled or interrupted whatever `onFailure` says.
 */
export class Sequencer extends EventEmitter<SequenceEvents> {
  readonly runs: SequenceRunStore;
  private readonly keys: TriggerKeys;
  private readonly active = new Map<string, Promise<SequenceRunRecord>>();
  /** Sequence runs asked to stop: no further member starts. */
  private readonly cancelled = new Set<string>();
  private readonly engine: Engine;
  private readonly db: Database.Database;
  private readonly specs: ReadonlyMap<string, SequenceSpec>;
  private readonly logger: Logger;

  constructor(options: {
    engine: Engine;
    db: Database.Database;
    sequences: ReadonlyMap<string, SequenceSpec>;
    logger: Logger;
  }) {
    super();
    this.engine = options.engine;
    this.db = options.db;
    this.specs = options.sequences;
    this.logger = options.logger;
    this.runs = new SequenceRunStore(options.db);
    this.keys = new TriggerKeys(options.db);
    const recovered = this.runs.recoverInterrupted();
    if (recovered > 0) {
      this.logger.warn({ sequenceRuns: recovered }, "marked sequence runs left by a stopped process as interrupted");
    }
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  get(name: string): SequenceSpec {
    const spec = this.specs.get(name);
    if (!spec) throw new UnknownSequenceError(name, this.names());
    return spec;
  }

  /**
   * Starts a run of the sequence. A known idempotency key returns its run (replayed); a
   * signature already used returns `reused` with the id it started; a run in progress refuses.
   */
  trigger(name: string, input: SequenceTrigger): SequenceTriggered | { reused: string } {
    const spec = this.get(name);
    if (this.engine.draining) throw new QueueFullError(0);
    // IMMEDIATE: another process sharing the state file cannot start the same sequence meanwhile.
    const result = this.db
      .transaction((): SequenceTriggered | { reused: string } => {
        const used = input.once && this.keys.runForSignature(input.once.value);
        if (used) return { reused: used };
        const knownId = input.idempotencyKey && this.keys.runForKey(keyScope(name), input.idempotencyKey);
        const known = knownId ? this.runs.get(knownId) : undefined;
        if (known) return { run: known, replayed: true };
        const running = this.runs.running(name);
        if (running) throw new SequenceRunningError(running);
        const run = this.runs.create({
          sequence: name,
          trigger: input.trigger,
          onFailure: spec.onFailure,
          syncs: spec.syncs,
        });
        if (input.idempotencyKey) this.keys.rememberKey(keyScope(name), input.idempotencyKey, run.id);
        if (input.once) this.keys.rememberSignature(input.once.value, run.id, input.once.expiresAt);
        return { run, replayed: false };
      })
      .immediate();
    if (!("run" in result) || result.replayed) return result;
    this.start(spec, result.run);
    // The first member was triggered as the run started: show it.
    return { run: this.runs.get(result.run.id) ?? result.run, replayed: false };
  }

  /** Triggers and waits for the whole sequence (the CLI's `run --sequence`). */
  async runNow(name: string, trigger = "cli"): Promise<SequenceRunRecord> {
    const result = this.trigger(name, { trigger });
    if (!("run" in result)) throw new Error("a CLI trigger carries no signature");
    return this.wait(result.run.id);
  }

  /** Resolves when the sequence run finishes, or after `timeoutMs` with its current state. */
  async wait(id: string, timeoutMs = Number.POSITIVE_INFINITY): Promise<SequenceRunRecord> {
    const current = this.runs.get(id);
    if (current?.status !== "running") return current!;
    return new Promise((resolve) => {
      const timer =
        timeoutMs === Number.POSITIVE_INFINITY
          ? undefined
          : setTimeout(() => {
              this.off("sequence:finished", onFinished);
              resolve(this.runs.get(id)!);
            }, timeoutMs);
      const onFinished = (run: SequenceRunRecord) => {
        if (run.id !== id) return;
        clearTimeout(timer);
        this.off("sequence:finished", onFinished);
        resolve(run);
      };
      this.on("sequence:finished", onFinished);
    });
  }

  /**
   * Stops a sequence run of this process: its running member is cancelled (at its next batch
   * boundary; delivered records commit) and no later member starts; the run ends `cancelled`.
   * Returns undefined when the run is not running here.
   */
  cancel(id: string): SequenceRunRecord | undefined {
    const run = this.runs.get(id);
    if (run?.status !== "running" || !this.active.has(run.sequence)) return undefined;
    this.cancelled.add(id);
    const current = run.members.findLast((member) => member.runId !== null);
    if (current?.runId) this.engine.cancel(current.runId);
    return this.runs.get(id);
  }

  /**
   * After the engine has closed (its runs ended, so every member wait has its answer): lets
   * the sequences' loops record their outcome, then marks whatever is still open interrupted.
   */
  async close(): Promise<void> {
    await Promise.allSettled(this.active.values());
    this.runs.markOwnInterrupted();
  }

  private start(spec: SequenceSpec, run: SequenceRunRecord): void {
    const logger = this.logger.child({ sequence: spec.name, sequenceRunId: run.id });
    logger.info({ syncs: spec.syncs, trigger: run.trigger }, "sequence started");
    this.emit("sequence:started", run);
    const heartbeat = setInterval(() => this.beat(run.id), DEFAULTS.sequenceHeartbeatMs);
    heartbeat.unref();
    const done = this.execute(spec, run, logger)
      .catch((error: unknown) => {
        const reason = classify(error);
        const failure = { code: reason.code, message: reason.describe() };
        logger.error({ err: failure.message }, "sequence could not go on");
        try {
          return this.record(run, "failed", failure);
        } catch {
          // The state file cannot be written: the next start marks the run interrupted.
          return { ...run, status: "failed" as const, error: failure };
        }
      })
      .then((finished) => {
        clearInterval(heartbeat);
        this.active.delete(spec.name);
        this.cancelled.delete(run.id);
        logger.info({ status: finished.status }, "sequence finished");
        this.emit("sequence:finished", finished);
        return finished;
      });
    this.active.set(spec.name, done);
  }

  private async execute(spec: SequenceSpec, run: SequenceRunRecord, logger: Logger): Promise<SequenceRunRecord> {
    const outcomes: RunRecord["status"][] = [];
    let firstFailure: { code: string; message: string } | undefined;
    for (const [index, sync] of run.members.map((member) => member.sync).entries()) {
      if (this.engine.draining) return this.record(run, "interrupted", interruptedError());
      if (this.cancelled.has(run.id)) return this.record(run, "cancelled", cancelledError());
      const finished = await this.runMember(
        sync,
        (id) => this.runs.setMember(run.id, index, id),
        () => this.engine.draining || this.cancelled.has(run.id),
      );
      logger.info({ sync, runId: finished.id, status: finished.status }, "sequence member finished");
      outcomes.push(finished.status);
      const stopped = finished.status === "interrupted" || (this.engine.draining && finished.status === "failed");
      if (stopped) return this.record(run, "interrupted", interruptedError());
      if (finished.status === "cancelled" || this.cancelled.has(run.id)) {
        return this.record(
          run,
          "cancelled",
          this.cancelled.has(run.id)
            ? cancelledError()
            : { code: "member_cancelled", message: `run ${finished.id} of sync "${sync}" was cancelled` },
        );
      }
      if (finished.status === "failed") {
        firstFailure ??= {
          code: "member_failed",
          message: `sync "${sync}" failed (run ${finished.id})${finished.error ? `: ${finished.error.message}` : ""}`,
        };
        if (spec.onFailure === "stop") break;
      }
    }
    const status: SequenceStatus = outcomes.includes("failed")
      ? "failed"
      : outcomes.includes("partial")
        ? "partial"
        : "succeeded";
    return this.record(run, status, firstFailure);
  }

  /**
   * One member's run. In this process the engine queues it behind a run of the sync already
   * going; a run of it in another process sharing the state file makes it end `already_running`
   * at once, so the member waits for that one to end and is triggered again.
   */
  private async runMember(
    sync: string,
    triggered: (runId: string) => void,
    stopping: () => boolean,
  ): Promise<RunRecord> {
    for (;;) {
      const { run } = this.engine.trigger(sync, { trigger: "sequence" });
      triggered(run.id);
      const finished = await this.engine.wait(run.id);
      if (finished.error?.code !== "already_running") return finished;
      while (this.engine.runs.running(sync) && !stopping()) {
        await new Promise((resolve) => setTimeout(resolve, DEFAULTS.sequenceBusyPollMs));
      }
      if (stopping()) return finished;
    }
  }

  private record(run: SequenceRunRecord, status: SequenceStatus, error?: { code: string; message: string }) {
    return this.runs.finish(run.id, status, error);
  }

  private beat(id: string): void {
    try {
      this.runs.heartbeat(id);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, sequenceRunId: id }, "could not write a sequence heartbeat");
    }
  }
}

function cancelledError() {
  return { code: "cancelled", message: "the sequence run was cancelled" };
}

function interruptedError() {
  return { code: "interrupted", message: "the service stopped before the sequence finished" };
}
