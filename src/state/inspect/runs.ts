import type Database from "better-sqlite3";

/** The columns of a run row that say where it stands (src/state/schema.ts `runs`). */
export interface StoredRun {
  id: string;
  sync: string;
  status: string;
  trigger: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  error_code: string | null;
  owner: string | null;
}

/** Every run, ordered by id (ids sort by creation). */
export function runRows(db: Database.Database): StoredRun[] {
  return db
    .prepare(
      "SELECT id, sync, status, trigger, created_at, started_at, finished_at, error_code, owner FROM runs ORDER BY id",
    )
    .all() as StoredRun[];
}

/** How many runs are still open (queued or running): none once every run has ended. */
export function openRunCount(db: Database.Database): number {
  return db.prepare("SELECT count(*) FROM runs WHERE status IN ('queued', 'running')").pluck().get() as number;
}
