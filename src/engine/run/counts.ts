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

export function emptySplit(): Split {
  return { added: 0, changed: 0, removed: 0 };
}

export function emptyCounts(): RunCounts {
  return {
    rowsRead: 0,
    unchanged: 0,
    invalid: 0,
    planned: emptySplit(),
    succeeded: emptySplit(),
    failed: emptySplit(),
  };
}

export function total(split: Split): number {
  return split.added + split.changed + split.removed;
}
