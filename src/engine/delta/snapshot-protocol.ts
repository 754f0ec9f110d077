import type { MessagePort } from "node:worker_threads";
import type { SnapshotPage } from "../../state/snapshot-pages.ts";

/**
 * What snapshot-reader.ts and its worker (snapshot-worker.ts) share: the worker's input and
 * two counters in a SharedArrayBuffer, pages posted and pages taken, for back-pressure and
 * for waking the other side with Atomics.
 */
export interface ReaderData {
  file: string;
  sync: string;
  shared: SharedArrayBuffer;
  port: MessagePort;
}

/** What the worker posts: a page, the end, or the error that stopped it. */
export type ReaderMessage = { page?: SnapshotPage; end?: true; error?: { message: string; code?: string } };

/** Pages (of 8,192 entries) the worker may read ahead of the merge: a few MB of strings. */
export const AHEAD = 8;
export const PRODUCED = 0;
export const CONSUMED = 1;
