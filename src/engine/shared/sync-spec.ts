import type { DeleteGuard } from "../../config/resolved.ts";
import type { Operation } from "../../sdk/destination.ts";
import type { Model } from "../../sdk/source.ts";
import type { SyncLogsSpec } from "../sync-logs/types.ts";

export type Mode = "upsert" | "update" | "insert" | "mirror";

/**
 * A sync as the engine sees it: resolved, validated, with defaults applied (src/config), so a
 * field is optional only where leaving it out means something (no batch size, no sync logs).
 */
export interface SyncSpec {
  name: string;
  model: Model;
  primaryKey: readonly string[];
  object: string;
  mode: Mode;
  /** [destination field, model column], sorted by destination field. */
  mapping: ReadonlyArray<readonly [string, string]>;
  options: Record<string, unknown>;
  deleteGuard: DeleteGuard;
  /** Lowers the destination's max records per call, never raises it. */
  batchSize?: number | undefined;
  /** The run's wait budget for rate limits, quotas and retries. */
  maxWaitMs: number;
  /**
   * Check the mapping against the destination's fields (`check`, `plan`) and coerce values to
   * their types before sending, when the destination can describe them.
   */
  validateMapping: boolean;
  /** Where the diff is computed: local (SQLite snapshot, default) or in the warehouse (src/engine/delta/warehouse). */
  diff?: DiffSpec | undefined;
  /**
   * `sendChangedFieldsOnly`: a changed record carries only the fields changed since its last
   * successful delivery, plus `alwaysSend` (the fields mapped from the primary key and those
   * the destination finds records by). Only for destinations whose updates are partial.
   */
  changedFieldsOnly?: { alwaysSend: readonly string[] } | undefined;
  /** `skip`: a null in the model is left out of the record, so the destination keeps its value. */
  nulls: "send" | "skip";
  /** Load each run's logs into this schema of the source's warehouse (docs/sync-logs.md). */
  syncLogs?: SyncLogsSpec | undefined;
  /** The record changelog (src/state/changelog-store.ts): on by default, values only when opted in. */
  changelog: { enabled: boolean; values: boolean };
}

export interface DiffSpec {
  mode: "local" | "warehouse";
  /** The schema (dataset) Syncline manages in the warehouse (resolved: DEFAULTS.diff.schema when none is named). */
  schema: string;
}

/** The operation each kind of change becomes in each mode (undefined: not sent). */
export function operationFor(mode: Mode, change: "added" | "changed" | "removed"): Operation | undefined {
  if (change === "removed") return mode === "mirror" ? "delete" : undefined;
  switch (mode) {
    case "upsert":
    case "mirror":
      return "upsert";
    case "update":
      return "update";
    case "insert":
      return change === "added" ? "insert" : undefined;
  }
}

/** The operations a mode needs the destination to support. */
export function operationsNeeded(mode: Mode): Operation[] {
  switch (mode) {
    case "mirror":
      return ["upsert", "delete"];
    default:
      return [operationFor(mode, "added")!];
  }
}

/** The columns a run reads from the model: the key first, then the mapped ones. */
export function columnsOf(spec: SyncSpec): string[] {
  return [...new Set([...spec.primaryKey, ...spec.mapping.map(([, column]) => column)])];
}
