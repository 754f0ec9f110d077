import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import { OWNER, ownerAlive } from "./run-store.ts";

export type SequenceStatus = "running" | "succeeded" | "partial" | "failed" | "interrupted" | "cancelled";
export const SEQUENCE_STATUSES: readonly SequenceStatus[] = [
  "running",
  "succeeded",
  "partial",
  "failed",
  "interrupted",
  "cancelled",
];

export interface SequenceMember {
  sync: string;
  /** The member's run, once triggered; null while not reached, or skipped. */
  runId: string | null;
}

export interface SequenceRunRecord {
  id: string;
  sequence: string;
  status: SequenceStatus;
  trigger: string;
  onFailure: "stop" | "continue";
  members: SequenceMember[];
  createdAt: number;
  finishedAt: number | null;
  error: { code: string; message: string } | null;
}

interface Row {
  id: string;
  sequence: string;
  status: SequenceStatus;
  trigger: string;
  on_failure: "stop" | "continue";
  members: string;
  created_at: number;
  finished_at: number | null;
  error_code: string | null;
  error_message: string | null;
  owner: string | null;
  heartbeat_at: number | null;
}

export function newSequenceRunId(now = Date.now()): string {
  return `seq_${now.toString(36)}${randomBytes(5).toString("hex")}`;
}

/** The sequence_runs table: every run of a sequence, and which run each member got. */
export class SequenceRunStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** A new run, already running, owned by this process; members not yet triggered. */
  create(input: { sequence: string; trigger: string; onFailure: "stop" | "continue"; syncs: readonly string[] }) {
    const id = newSequenceRunId();
    const members: SequenceMember[] = input.syncs.map((sync) => ({ sync, runId: null }));
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO sequence_runs (id, sequence, status, trigger, on_failure, members, created_at, owner, heartbeat_at)
         VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.sequence, input.trigger, input.onFailure, JSON.stringify(members), now, OWNER, now);
    return this.get(id)!;
  }

  get(id: string): SequenceRunRecord | undefined {
    const row = this.db.prepare("SELECT * FROM sequence_runs WHERE id = ?").get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The sequence's runs, newest first. */
  list(sequence: string, limit: number): SequenceRunRecord[] {
    const rows = this.db
      .prepare("SELECT * FROM sequence_runs WHERE sequence = ? ORDER BY id DESC LIMIT ?")
      .all(sequence, limit) as Row[];
    return rows.map(toRecord);
  }

  /** The run of this sequence a live process is running now, if any. */
  running(sequence: string, now = Date.now()): SequenceRunRecord | undefined {
    const rows = this.db
      .prepare("SELECT * FROM sequence_runs WHERE sequence = ? AND status = 'running'")
      .all(sequence) as Row[];
    const row = rows.find((r) => ownerAlive(r.owner, r.heartbeat_at, now));
    return row ? toRecord(row) : undefined;
  }

  /** Records the run the member at `index` got. */
  setMember(id: string, index: number, runId: string): void {
    const run = this.get(id);
    if (!run) return;
    const members = run.members.map((member, at) => (at === index ? { ...member, runId } : member));
    this.db
      .prepare("UPDATE sequence_runs SET members = ?, heartbeat_at = ? WHERE id = ?")
      .run(JSON.stringify(members), Date.now(), id);
  }

  heartbeat(id: string): void {
    this.db
      .prepare("UPDATE sequence_runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'")
      .run(Date.now(), id);
  }

  finish(id: string, status: SequenceStatus, error?: { code: string; message: string }): SequenceRunRecord {
    this.db
      .prepare("UPDATE sequence_runs SET status = ?, finished_at = ?, error_code = ?, error_message = ? WHERE id = ?")
      .run(status, Date.now(), error?.code ?? null, error?.message ?? null, id);
    return this.get(id)!;
  }

  /** At start: runs left `running` by a process that is gone become `interrupted`. */
  recoverInterrupted(now = Date.now()): number {
    const open = this.db.prepare("SELECT * FROM sequence_runs WHERE status = 'running'").all() as Row[];
    let changes = 0;
    for (const row of open) {
      if (ownerAlive(row.owner, row.heartbeat_at ?? row.created_at, now)) continue;
      changes += this.markInterrupted(row.id, "the process running it stopped before it finished", now);
    }
    return changes;
  }

  /** Runs this process still has open (at shutdown, once their loops have ended). */
  markOwnInterrupted(): number {
    const open = this.db
      .prepare("SELECT id FROM sequence_runs WHERE status = 'running' AND owner = ?")
      .all(OWNER) as Array<{ id: string }>;
    let changes = 0;
    for (const { id } of open) changes += this.markInterrupted(id, "the service stopped before the sequence finished");
    return changes;
  }

  private markInterrupted(id: string, message: string, now = Date.now()): number {
    return this.db
      .prepare(
        `UPDATE sequence_runs SET status = 'interrupted', finished_at = ?, error_code = 'interrupted', error_message = ?
         WHERE id = ? AND status = 'running'`,
      )
      .run(now, message, id).changes;
  }
}

function toRecord(row: Row): SequenceRunRecord {
  return {
    id: row.id,
    sequence: row.sequence,
    status: row.status,
    trigger: row.trigger,
    onFailure: row.on_failure,
    members: JSON.parse(row.members) as SequenceMember[],
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? "" } : null,
  };
}
