import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { codeModule } from "../../package-root.ts";
import { classify } from "../../sdk/errors/classify.ts";
import { TransientError } from "../../sdk/errors/transient-error.ts";
import type { CommitOp } from "../../state/commit-writes.ts";
import type { CommitReply, CommitRequest, CommitThreadData } from "./commit-protocol.ts";

/** Runs sending fewer records than this commit on the run's own thread. */
const THREADED_FROM = 100_000;

/** The worker's own module file, wherever the code that starts it was bundled. */
const WORKER = pathToFileURL(codeModule("src", "engine", "ledger", "commit-worker"));

export interface CommitThreadOptions {
  /** Runs planning at least this many records commit on a worker thread. */
  threadedFrom?: number | undefined;
  /** The worker's module (tests give one that fails). */
  worker?: URL | undefined;
}

/**
 * The writer thread for a run's batch commits, when the run is large enough for SQLite's work
 * to matter (seconds per million records) and the machine has a second CPU for it: the run's
 * thread then reads, builds and sends the next batch while the last one is written. Small runs,
 * in-memory state and one-CPU machines commit on the run's thread. The gain and the worker's
 * memory are measured in BENCHMARKS.md (section 1).
 */
export function openCommitThread(
  db: Database.Database,
  sync: string,
  runId: string,
  records: number,
  options: CommitThreadOptions = {},
): CommitThread | undefined {
  const from = options.threadedFrom ?? (availableParallelism() > 1 ? THREADED_FROM : Number.POSITIVE_INFINITY);
  if (db.memory || db.name === "" || records < from) return undefined;
  return new CommitThread({ file: db.name, sync, runId }, options.worker ?? WORKER);
}

/**
 * A worker thread (commit-worker.ts) with its own connection to the state file, running one
 * request at a time in the order they were posted: in-doubt markers (answered with their id)
 * and batch commits (the writes of src/state/commit-writes.ts, one transaction each). A worker
 * that fails to start or dies fails every request, now and later, with a transient error: the
 * run stops and its batches not committed stay in doubt (their markers), as after a crash.
 */
export class CommitThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(reply: CommitReply): void; reject(error: Error): void }>();
  private nextId = 1;
  private failure: Error | undefined;
  private closing = false;
  /** Resolves when the worker has ended, however it ended. */
  private readonly exited: Promise<void>;

  constructor(data: CommitThreadData, module: URL) {
    // A missing module would only show as the worker's 'error' event.
    if (!existsSync(fileURLToPath(module))) {
      throw new Error(`Syncline's batch commit writer ${fileURLToPath(module)} is missing: reinstall the package`);
    }
    this.worker = new Worker(module, {
      workerData: data,
      // It holds a batch's writes or two at a time (a batch of large records with their values kept
      // in the changelog is megabytes); a small young generation keeps its isolate's memory down.
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
    });
    this.worker.on("message", (reply: CommitReply) => this.answer(reply));
    this.worker.on("error", (error: Error) => this.fail(`it stopped: ${error.message}`));
    this.exited = new Promise((resolve) =>
      this.worker.on("exit", (code) => {
        this.fail(`it exited (code ${code})`);
        resolve();
      }),
    );
  }

  /** Writes the batch's in-doubt marker; resolves with its id once it is committed. */
  async mark(textKeys: string[], jsonKeys: string[], at: number): Promise<number | undefined> {
    return (await this.request({ kind: "mark", textKeys, jsonKeys, at })).marker;
  }

  /** Runs a batch commit's writes in one transaction. */
  async write(ops: CommitOp[]): Promise<void> {
    await this.request({ kind: "write", ops });
  }

  /** Closes the worker's connection once every request before this one is answered, and ends it. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.failure) await this.worker.terminate();
    else this.worker.postMessage({ id: this.nextId++, kind: "close" } satisfies CommitRequest);
    await this.exited;
  }

  private request(request: DistributiveOmit<CommitRequest, "id">): Promise<CommitReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private answer(reply: CommitReply): void {
    if (reply.id === 0) {
      this.fail(`it could not start: ${reply.error?.message}`);
      return;
    }
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (!reply.error) waiting.resolve(reply);
    else waiting.reject(classify(Object.assign(new Error(reply.error.message), { code: reply.error.code })));
  }

  private fail(why: string): void {
    this.failure ??= new TransientError(`the batch commit writer failed: ${why}; the run can be retried`);
    for (const { reject } of this.waiting.values()) reject(this.failure);
    this.waiting.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
