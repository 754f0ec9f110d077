import type { RunCounts, Split } from "../../state/run-counts.ts";

export type { Change, RunCounts, Split } from "../../state/run-counts.ts";

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
