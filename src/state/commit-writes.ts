import type Database from "better-sqlite3";
import { BatchCommitStore } from "./batch-commit-store.ts";
import { CallStore, type DestinationCallRow } from "./call-store.ts";
import { changelogAppender, type NewChangelogRow } from "./changelog-store.ts";
import { InDoubtBatches } from "./in-doubt-batches.ts";

/**
 * Every write one batch commit makes (src/engine/ledger/commit.ts), by table, none opening a
 * transaction. `CommitWrites` runs them on a connection at once; `recordWrites` records them as
 * plain data (CommitOp) for a writer thread to run on its own connection, in the same order
 * (`replayWrites`). Both run the same statements: the commit's logic is written once.
 */
export interface CommitWriter {
  store: Pick<BatchCommitStore, StoreWrite>;
  markers: Pick<InDoubtBatches, "release">;
  changelog: { append(rows: NewChangelogRow[], at: number): void };
  calls: { append(call: DestinationCallRow, keep: number): void };
}

const STORE_WRITES = [
  "clearInDoubt",
  "clearAllInDoubt",
  "keepInDoubt",
  "invalidate",
  "forget",
  "recordFailure",
  "upsertDelivered",
  "forgetAll",
  "resolve",
] as const satisfies ReadonlyArray<keyof BatchCommitStore>;
type StoreWrite = (typeof STORE_WRITES)[number];

/** The writes of each table, by name: what a recorder records and a replay may call. */
const WRITES = {
  store: STORE_WRITES,
  markers: ["release"],
  changelog: ["append"],
  calls: ["append"],
} as const;

type Target = keyof CommitWriter;
type OpOf<T extends Target> = {
  [M in (typeof WRITES)[T][number]]: [T, M, ...Parameters<Extract<CommitWriter[T][M & keyof CommitWriter[T]], Fn>>];
}[(typeof WRITES)[T][number]];
// biome-ignore lint/suspicious/noExplicitAny: any function's parameters, taken apart by Parameters<>
type Fn = (...args: any[]) => void;

/** One recorded write: its table, its method and the method's arguments (structured-clonable). */
export type CommitOp = { [T in Target]: OpOf<T> }[Target];

/** The writes on `db`, for one sync's run; its store and markers also read and mark on that connection. */
export function commitWriter(
  db: Database.Database,
  sync: string,
  runId: string,
): CommitWriter & { store: BatchCommitStore; markers: InDoubtBatches } {
  const append = changelogAppender(db, sync, runId);
  return {
    store: new BatchCommitStore(db, sync),
    markers: new InDoubtBatches(db, sync),
    changelog: { append },
    calls: new CallStore(db),
  };
}

/** A writer that only records, into `ops`, what it is asked to write. */
export function recordWrites(ops: CommitOp[]): CommitWriter {
  const recorder = <T extends Target>(target: T) =>
    Object.fromEntries(
      WRITES[target].map((method) => [
        method,
        (...args: unknown[]) => {
          ops.push([target, method, ...args] as CommitOp);
        },
      ]),
    ) as unknown as CommitWriter[T];
  return {
    store: recorder("store"),
    markers: recorder("markers"),
    changelog: recorder("changelog"),
    calls: recorder("calls"),
  };
}

/** Runs recorded writes on `writer`, in order; only the writes this module names are called. */
export function replayWrites(writer: CommitWriter, ops: readonly CommitOp[]): void {
  for (const [target, method, ...args] of ops) {
    if (!(WRITES[target] as readonly string[]).includes(method))
      throw new Error(`not a commit write: ${target}.${method}`);
    (writer[target] as unknown as Record<string, Fn>)[method]!(...args);
  }
}
