import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { codeModule } from "../../package-root.ts";
import { classify } from "../../sdk/errors/classify.ts";
import { type SnapshotPage, SnapshotPages } from "../../state/snapshot-pages.ts";
import { SnapshotStore } from "../../state/snapshot-store.ts";
import { CONSUMED, PRODUCED, type ReaderData } from "./snapshot-protocol.ts";

/** Snapshots smaller than this (by the state file's largest rowid) are read on this thread. */
const THREADED_FROM = 250_000;

/** The worker's own module file, wherever the code that starts it was bundled. */
const WORKER = pathToFileURL(codeModule("src", "engine", "delta", "snapshot-worker"));

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
export function openSnapshotReader(
  db: Database.Database,
  sync: string,
  threadedFrom = availableParallelism() > 1 ? THREADED_FROM : Number.POSITIVE_INFINITY,
): SnapshotReader {
  const largest = new SnapshotStore(db).largestRowid();
  if (db.memory || db.name === "" || largest < threadedFrom) {
    const pages = new SnapshotPages(db, sync);
    return { next: () => pages.read(), close: async () => {} };
  }
  const shared = new SharedArrayBuffer(8);
  const counters = new Int32Array(shared);
  const { port1, port2 } = new MessageChannel();
  const data: ReaderData = { file: db.name, sync, shared, port: port2 };
  const worker = new Worker(WORKER, {
    workerData: data,
    transferList: [port2],
    // It holds a few pages at a time; small V8 spaces keep its isolate's memory down.
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
  });
  let ended = false;
  return {
    next() {
      if (ended) return undefined;
      for (;;) {
        const produced = Atomics.load(counters, PRODUCED);
        const received = receiveMessageOnPort(port1);
        if (received) {
          Atomics.add(counters, CONSUMED, 1);
          Atomics.notify(counters, CONSUMED);
          const message = received.message as {
            page?: SnapshotPage;
            end?: true;
            error?: { message: string; code?: string };
          };
          if (message.error) {
            ended = true;
            throw classify(
              Object.assign(new Error(`reading the snapshot: ${message.error.message}`), { code: message.error.code }),
            );
          }
          if (message.end) ended = true;
          return message.page;
        }
        // Nothing yet: sleep until the worker posts (it posts, then counts).
        Atomics.wait(counters, PRODUCED, produced, 1000);
      }
    },
    async close() {
      port1.close();
      await worker.terminate();
    },
  };
}
