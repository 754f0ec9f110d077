import type { StagingArea } from "../staging-area.ts";

/** A staged row as stored in a run's staging table (src/state/staging-area.ts). */
export interface StoredStagedRow {
  seq: number;
  key: string;
  change: string;
  hash: string | null;
  fields: string | null;
  key_values: string | null;
  remote_id: string | null;
  field_hashes: string | null;
  failed_hashes: string | null;
  changed_fields: string | null;
  dup: number;
}

/** Every row of a staging area, ordered by key (keys are unique there). */
export function stagedRows(staging: StagingArea): StoredStagedRow[] {
  return staging.db
    .prepare(
      `SELECT seq, key, change, hash, fields, key_values, remote_id, field_hashes, failed_hashes, changed_fields, dup
       FROM ${staging.table} ORDER BY key`,
    )
    .all() as StoredStagedRow[];
}
