import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import type Database from "better-sqlite3";
import { codeModule } from "../../package-root.ts";
import { type SnapshotPage, SnapshotPages } from "../../state/snapshot-pages.ts";
import { SnapshotStore } from "../../state/snapshot-store.ts";
import { SnapshotThread } from "./snapshot-thread.ts";

/** Snapshots smaller than this (by the state file's largest rowid) are read on this thread. */
const THREADED_FROM = 250_000;

/** The worker's own module file, wherever the code that starts it was bundled. */
const WORKER = pathToFileURL(codeModule("src", "engine", "delta", "snapshot-worker"));

/** How long the merge waits for a page before it takes the worker for dead (snapshot-thread.ts). */
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
 * thread reads them (snapshot-thread.ts: its own read-only connection, one read transaction,
 * which WAL lets run while this thread stages), so that SQLite's work runs beside the merge
 * instead of inside it: reading a large snapshot is seconds of SQLite time. Small snapshots,
 * in-memory state and one-CPU machines read here. The gain and the worker's memory are
 * measured in BENCHMARKS.md (section 1).
 */
export function openSnapshotReader(db: Database.Database, sync: string, options: ReaderOptions = {}): SnapshotReader {
  const threadedFrom = options.threadedFrom ?? (availableParallelism() > 1 ? THREADED_FROM : Number.POSITIVE_INFINITY);
  const largest = new SnapshotStore(db).largestRowid();
  if (db.memory || db.name === "" || largest < threadedFrom) {
    const pages = new SnapshotPages(db, sync);
    return { next: () => pages.read(), close: async () => {} };
  }
  return new SnapshotThread(db.name, sync, options.worker ?? WORKER, options.silenceMs ?? SILENCE_MS);
}
