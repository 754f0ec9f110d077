/**
 * The shape of a run's counts, as the runs table stores them (JSON) and the engine fills them
 * (src/engine/shared/counts.ts holds the helpers). Here so the state layer needs no engine type.
 */
export type Change = "added" | "changed" | "removed";

export interface Split {
  added: number;
  changed: number;
  removed: number;
}

/** What a run planned, delivered and failed, each split by kind of change. */
export interface RunCounts {
  rowsRead: number;
  unchanged: number;
  invalid: number;
  planned: Split;
  succeeded: Split;
  failed: Split;
}
