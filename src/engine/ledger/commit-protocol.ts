import type { CommitOp } from "../../state/commit-writes.ts";

/**
 * What commit-thread.ts and its worker (commit-worker.ts) share. Requests are answered in the
 * order they were posted: the worker runs one at a time, each write request in a transaction.
 * `close` is not answered: the worker closes its connection and ends.
 */
export interface CommitThreadData {
  file: string;
  sync: string;
  runId: string;
}

export type CommitRequest =
  | { id: number; kind: "mark"; textKeys: string[]; jsonKeys: string[]; at: number }
  | { id: number; kind: "write"; ops: CommitOp[] }
  | { id: number; kind: "close" };

/** The answer to a request (`id`), or, with `id` 0, the worker's failure to start: every request fails. */
export type CommitReply = { id: number; marker?: number | undefined; error?: { message: string; code?: string } };
