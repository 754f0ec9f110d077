import { DEFAULTS } from "../../config/defaults.ts";
import type { StagingArea } from "../../state/staging-area.ts";
import type { RunCounts } from "../shared/counts.ts";

export interface InvalidRow {
  key: string | null;
  reason: string;
}

export interface PlanResult {
  invalidSamples: InvalidRow[];
  /** How many records the snapshot held before this run (the delete guard's base). */
  snapshotSize: number;
}

/**
 * Counts `rows` model rows without a usable key as invalid, with samples up to the limit. The
 * same words for every way of planning (lookup, ordered merge, warehouse).
 */
export function countNullKeys(counts: RunCounts, samples: InvalidRow[], primaryKey: readonly string[], rows = 1): void {
  counts.invalid += rows;
  for (let i = 0; i < rows && samples.length < DEFAULTS.invalidSamples; i++) {
    samples.push({ key: null, reason: `null or empty primary key (${primaryKey.join(", ")})` });
  }
}

/** Duplicates: every row of a duplicated key is invalid; none of them is sent. */
export function countDuplicates(staging: StagingArea, counts: RunCounts, samples: InvalidRow[]): void {
  for (const { key, dup } of staging.duplicates()) {
    counts.invalid += dup + 1;
    if (samples.length < DEFAULTS.invalidSamples) {
      samples.push({ key, reason: `duplicate primary key (${dup + 1} rows)` });
    }
  }
}

/** The planned counts from what is staged; returns how many rows were staged as unchanged. */
export function countPlanned(staging: StagingArea, counts: RunCounts): number {
  const tally = staging.tally();
  counts.planned.added = tally.added ?? 0;
  counts.planned.changed = tally.changed ?? 0;
  counts.planned.removed = tally.removed ?? 0;
  return tally.unchanged ?? 0;
}
