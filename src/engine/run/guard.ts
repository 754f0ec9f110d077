import { ConfigurationError } from "../../sdk/errors/configuration-error.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";

/**
 * The delete guard: mirror mode refuses to delete more than the configured share or count of
 * the records it delivered (default: more than 20% when that is over 10 records), and always
 * refuses to delete everything because the model came back empty. Returns the error to fail
 * the run with, or undefined when the deletes may go ahead.
 */
export function checkDeleteGuard(
  spec: SyncSpec,
  input: { removed: number; snapshotSize: number; rowsRead: number; force: boolean },
): ConfigurationError | undefined {
  if (spec.mode !== "mirror" || input.force || input.removed === 0) return undefined;
  const { maxPercent, minRecords, maxCount } = spec.deleteGuard;
  const percent = input.snapshotSize > 0 ? (input.removed / input.snapshotSize) * 100 : 0;
  let why: string | undefined;
  if (input.rowsRead === 0) {
    why = `the model returned no rows, so all ${input.removed} delivered records would be deleted`;
  } else if (maxCount !== undefined && input.removed > maxCount) {
    why = `${input.removed} records would be deleted, more than deleteGuard.maxCount (${maxCount})`;
  } else if (percent > maxPercent && input.removed > minRecords) {
    why = `${input.removed} of ${input.snapshotSize} delivered records (${percent.toFixed(1)}%) would be deleted, more than deleteGuard.maxPercent (${maxPercent}%)`;
  }
  if (!why) return undefined;
  return new ConfigurationError(`delete guard: ${why}; nothing was sent`, {
    code: "delete_guard",
    path: `syncs.${spec.name}.deleteGuard`,
    fix: "check the model; if the deletes are intended, run again with --force-deletes (API: forceDeletes: true) or raise syncs.<name>.deleteGuard",
  });
}
