import type { StagingArea } from "../../state/staging-area.ts";
import type { Change } from "../shared/counts.ts";
import { coerceFields } from "./coerce.ts";
import type { FieldLookup } from "./discover.ts";

export interface Unsendable {
  /** Records whose values do not convert to their fields' types: a run rejects them unsent. */
  count: number;
  samples: Array<{ key: string; reason: string }>;
}

/** For a dry run: the staged records a run would reject before sending (coerce.ts), counted, with a few reasons. */
export function unsendable(
  staging: StagingArea,
  changes: readonly Change[],
  fields: FieldLookup,
  sampleSize: number,
): Unsendable {
  const found: Unsendable = { count: 0, samples: [] };
  for (const page of staging.pages(changes, 2048)) {
    for (const record of page) {
      if (!record.fields) continue;
      const coerced = coerceFields(JSON.parse(record.fields), fields);
      if (coerced.ok) continue;
      found.count++;
      if (found.samples.length < sampleSize) found.samples.push({ key: record.key, reason: coerced.reason });
    }
  }
  return found;
}
