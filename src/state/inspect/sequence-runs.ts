import type Database from "better-sqlite3";

/** The columns of a sequence run that say where it stands (src/state/schema.ts `sequence_runs`). */
export interface StoredSequenceRun {
  id: string;
  sequence: string;
  status: string;
  finished_at: number | null;
  owner: string | null;
  heartbeat_at: number | null;
}

/** Every run of a sequence, ordered by id (ids sort by creation). */
export function sequenceRunRows(db: Database.Database, sequence: string): StoredSequenceRun[] {
  return db
    .prepare(
      "SELECT id, sequence, status, finished_at, owner, heartbeat_at FROM sequence_runs WHERE sequence = ? ORDER BY id",
    )
    .all(sequence) as StoredSequenceRun[];
}

/** Hands a sequence run to another owner, with its last heartbeat: how a dead process leaves it. */
export function setSequenceRunOwner(db: Database.Database, id: string, owner: string, heartbeatAt: number): void {
  db.prepare("UPDATE sequence_runs SET owner = ?, heartbeat_at = ? WHERE id = ?").run(owner, heartbeatAt, id);
}

/** Marks a sequence run running again (not finished), as a process killed mid-run leaves it. */
export function reopenSequenceRun(db: Database.Database, id: string): void {
  db.prepare("UPDATE sequence_runs SET status = 'running', finished_at = NULL WHERE id = ?").run(id);
}
