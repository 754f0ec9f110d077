import type { TableRef } from "../../sdk/source.ts";

/** What a log column holds: text, a 64-bit integer, or a UTC timestamp. */
export type Kind = "text" | "int" | "ts";
export type LogColumn = readonly [name: string, kind: Kind];

/** One row per run. Timestamps are UTC. Documented in docs/sync-logs.md. */
export const RUN_COLUMNS: readonly LogColumn[] = [
  ["run_id", "text"],
  ["sync", "text"],
  ["status", "text"],
  ["trigger", "text"],
  ["created_at", "ts"],
  ["started_at", "ts"],
  ["finished_at", "ts"],
  ["duration_ms", "int"],
  ["rows_read", "int"],
  ["unchanged", "int"],
  ["invalid", "int"],
  ["planned_added", "int"],
  ["planned_changed", "int"],
  ["planned_removed", "int"],
  ["succeeded_added", "int"],
  ["succeeded_changed", "int"],
  ["succeeded_removed", "int"],
  ["failed_added", "int"],
  ["failed_changed", "int"],
  ["failed_removed", "int"],
  ["error_code", "text"],
  ["error_message", "text"],
  ["loaded_at", "ts"],
];

/** One row per operation of a run on a record. */
export const CHANGELOG_COLUMNS: readonly LogColumn[] = [
  ["run_id", "text"],
  ["sync", "text"],
  ["key", "text"],
  ["operation", "text"],
  ["outcome", "text"],
  ["code", "text"],
  ["reason", "text"],
  ["remote_id", "text"],
  ["attempts", "int"],
  ["at", "ts"],
];

/** The latest status per (sync, key): upserted by every run that touched the record. */
export const SNAPSHOT_COLUMNS: readonly LogColumn[] = [
  ["sync", "text"],
  ["key", "text"],
  ["last_operation", "text"],
  ["last_outcome", "text"],
  ["code", "text"],
  ["reason", "text"],
  ["remote_id", "text"],
  ["attempts", "int"],
  ["last_run_id", "text"],
  ["updated_at", "ts"],
  ["last_success_at", "ts"],
  ["first_failed_at", "ts"],
];

/** The snapshot's staging rows carry their order in the run: the last row of a key wins. */
export const SNAPSHOT_STAGE_COLUMNS: readonly LogColumn[] = [...SNAPSHOT_COLUMNS, ["seq", "int"]];

export interface LogTables {
  runs: TableRef;
  changelog: TableRef;
  snapshot: TableRef;
}

/** Per-run staging tables (all text, loaded in bulk, dropped after the load commits). */
export interface StageTables {
  runs: TableRef;
  changelog: TableRef;
  snapshot: TableRef;
  /** The snapshot rows merged with what the warehouse held, ready to replace it. */
  merged: TableRef;
}

export function logTables(schema: string): LogTables {
  return {
    runs: { schema, name: "sync_runs" },
    changelog: { schema, name: "sync_changelog" },
    snapshot: { schema, name: "sync_snapshot" },
  };
}

/** Run ids are `run_` plus lowercase letters and digits: safe unquoted in every warehouse. */
export function stageTables(schema: string, runId: string): StageTables {
  const tag = runId.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return {
    runs: { schema, name: `_sl_runs_${tag}` },
    changelog: { schema, name: `_sl_chg_${tag}` },
    snapshot: { schema, name: `_sl_snap_${tag}` },
    merged: { schema, name: `_sl_mrg_${tag}` },
  };
}
