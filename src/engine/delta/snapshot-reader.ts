import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { codeModule } from "../../package-root.ts";
import { classify } from "../../sdk/errors/classify.ts";
import { TransientError } from "../../sdk/errors/transient-error.ts";
import { type SnapshotPage, SnapshotPages } from "../../state/snapshot-pages.ts";
import { SnapshotStore } from "../../state/snapshot-store.ts";
import { CONSUMED, PRODUCED, type ReaderData } from "./snapshot-protocol.ts";

/** Snapshots smaller than this (by the state file's largest rowid) are read on this thread. */
const THREADED_FROM = 250_000;

/** The worker's own module file, wherever the code that starts it was bundled. */
const WORKER = pathToFileURL(codeModule("src", "engine", "delta", "snapshot-worker"));

/**
 * How long the merge waits for a page before it takes the worker for dead. A page is
 * milliseconds of SQLite, and the worker's own waits (its busy_timeout) end sooner, with an
 * error it posts. A worker that dies without a word (out of memory) cannot be seen from the
 * merge's synchronous wait, since its 'error' event needs this thread's event loop.
 */
const SILENCE_MS = 60_000;

export interface ReaderOptions {
  /** Snapshots with at least this many rows (by the largest rowid) are read by a worker. */
  threadedFrom?: number;
  /** The worker's module (tests give one that fails). */
  worker?: URL;
  silenceMs?: number;
}

export interface SnapshotReader {
  next(): SnapshotPage | undefined;
  close(): Promise<void>;
}

/**
 * The snapshot pages for the ordered merge. For a large snapshot in a state file, a worker
 * thread reads them (its own read-only connection, one read transaction: WAL lets it read
 * while this thread stages) so that SQLite's work runs beside the merge instead of inside
 * it: reading a large snapshot is seconds of SQLite time. Pages come back synchronously
 * (receiveMessageOnPort, Atomics.wait while the worker is behind), since the merge pulls
 * entries inside a synchronous loop. Small snapshots, in-memory state and one-CPU machines
 * read here. The gain and the worker's memory are measured in BENCHMARKS.md (section 1).
 */
export function openSnapshotReader(db: Database.Database, sync: string, options: ReaderOptions = {}): SnapshotReader {
  const threadedFrom = options.threadedFrom ?? (availableParallelism() > 1 ? THREADED_FROM : Number.POSITIVE_INFINITY);
  const largest = new SnapshotStore(db).largestRowid();
  if (db.memory || db.name === "" || largest < threadedFrom) {
    const pages = new SnapshotPages(db, sync);
    return { next: () => pages.read(), close: async () => {} };
  }
  return threadedReader(db.name, sync, options.worker ?? WORKER, options.silenceMs ?? SILENCE_MS);
}

type WorkerMessage = { page?: SnapshotPage; end?: true; error?: { message: string; code?: string } };

function threadedReader(file: string, sync: string, module: URL, silenceMs: number): SnapshotReader {
  // A missing module would only show as the worker's 'error' event, after a silent wait.
  if (!existsSync(fileURLToPath(module))) {
    throw new Error(`Syncline's snapshot reader ${fileURLToPath(module)} is missing: reinstall the package`);
  }
  const shared = new SharedArrayBuffer(8);
  const counters = new Int32Array(shared);
  const { port1, port2 } = new MessageChannel();
  const data: ReaderData = { file, sync, shared, port: port2 };
  const worker = new Worker(module, {
    workerData: data,
    transferList: [port2],
    // It holds a few pages at a time; small V8 spaces keep its isolate's memory down.
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
  });
  let ended = false;
  // A worker that fails outside its own catch (out of memory, a module that does not load):
  // seen here whenever this thread's event loop has run since, as between the model's chunks.
  let died: Error | undefined;
  worker.on("error", (error: Error) => {
    died = error;
  });
  const fail = (message: string, code?: string) => {
    ended = true;
    return classify(Object.assign(new Error(`reading the snapshot: ${message}`), { code }));
  };
  // Nothing was planned or sent yet: the run fails whole, and the next one reads again.
  const stopped = (why: string) => {
    ended = true;
    return new TransientError(`reading the snapshot: ${why}; the run can be retried`);
  };
  return {
    next() {
      if (ended) return undefined;
      const since = performance.now();
      for (;;) {
        const produced = Atomics.load(counters, PRODUCED);
        const received = receiveMessageOnPort(port1);
        if (received) {
          Atomics.add(counters, CONSUMED, 1);
          Atomics.notify(counters, CONSUMED);
          const message = received.message as WorkerMessage;
          if (message.error) throw fail(message.error.message, message.error.code);
          if (message.end) ended = true;
          return message.page;
        }
        if (died) throw stopped(`its worker thread stopped: ${died.message}`);
        if (performance.now() - since > silenceMs) {
          throw stopped(
            `its worker thread sent nothing for ${silenceMs / 1000} s and is taken for dead (out of memory?)`,
          );
        }
        // Nothing yet: sleep until the worker posts (it posts, then counts).
        Atomics.wait(counters, PRODUCED, produced, Math.min(1000, silenceMs));
      }
    },
    async close() {
      port1.close();
      await worker.terminate();
    },
  };
}
