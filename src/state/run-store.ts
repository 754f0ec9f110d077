import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type Database from "better-sqlite3";
import { processAlive } from "../sdk/process.ts";
import type { RunCounts } from "./run-counts.ts";

export type RunStatus = "queued" | "running" | "succeeded" | "partial" | "failed" | "interrupted" | "cancelled";
export const FINISHED: readonly RunStatus[] = ["succeeded", "partial", "failed", "interrupted", "cancelled"];

export interface RunOptions {
  fullResync?: boolean;
  forceDeletes?: boolean;
}

/** Options with every flag spelled out, so equal requests compare equal. */
export function normalizeOptions(options: RunOptions = {}): Required<RunOptions> {
  return { fullResync: options.fullResync === true, forceDeletes: options.forceDeletes === true };
}

export function sameOptions(a: RunOptions, b: RunOptions): boolean {
  const x = normalizeOptions(a);
  const y = normalizeOptions(b);
  return x.fullResync === y.fullResync && x.forceDeletes === y.forceDeletes;
}

export interface RunRecord {
  id: string;
  sync: string;
  status: RunStatus;
  trigger: string;
  options: RunOptions;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  counts: RunCounts | null;
  invalid: number;
  invalidSamples: Array<{ key: string | null; reason: string }>;
  error: { code: string; message: string } | null;
}

interface Row {
  id: string;
  sync: string;
  status: RunStatus;
  trigger: string;
  options: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  counts: string | null;
  invalid: number;
  invalid_samples: string | null;
  error_code: string | null;
  error_message: string | null;
  owner: string | null;
  heartbeat_at: number | null;
}

/** This process, as an owner of runs: a restarted container reuses pids, the instance id tells. */
export const OWNER = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
/** A run whose owner has not written a heartbeat for this long is presumed dead. */
export const HEARTBEAT_STALE_MS = 30_000;

/**
 * Whether the process that owns a run is still alive: this process; or, on this host, a
 * process with that pid whose heartbeat is fresh (a pid alone could be reused); or, on another
 * host sharing the state file, a fresh heartbeat.
 */
export function ownerAlive(owner: string | null, heartbeatAt: number | null, now = Date.now()): boolean {
  if (owner === OWNER) return true;
  const fresh = heartbeatAt !== null && heartbeatAt > now - HEARTBEAT_STALE_MS;
  const [host, pid] = (owner ?? "").split(":");
  if (host === hostname() && pid) return fresh && processAlive(Number(pid));
  return fresh;
}

export function newRunId(now = Date.now()): string {
  return `run_${now.toString(36)}${randomBytes(5).toString("hex")}`;
}

/** The runs table: the life of every run, from queued to finished. */
export class RunStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  create(input: { sync: string; trigger: string; options?: RunOptions }): RunRecord {
    const id = newRunId();
    this.db
      .prepare(
        `INSERT INTO runs (id, sync, status, trigger, options, created_at, owner, heartbeat_at)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)`,
      )
      .run(id, input.sync, input.trigger, JSON.stringify(input.options ?? {}), Date.now(), OWNER, Date.now());
    return this.get(id)!;
  }

  get(id: string): RunRecord | undefined {
    const row = this.db.prepare("SELECT * FROM runs WHERE id = ?").get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  list(sync: string, page: { limit: number; before?: string | undefined }): RunRecord[] {
    const rows = page.before
      ? this.db
          .prepare("SELECT * FROM runs WHERE sync = ? AND id < ? ORDER BY id DESC LIMIT ?")
          .all(sync, page.before, page.limit)
      : this.db.prepare("SELECT * FROM runs WHERE sync = ? ORDER BY id DESC LIMIT ?").all(sync, page.limit);
    return (rows as Row[]).map(toRecord);
  }

  last(sync: string): RunRecord | undefined {
    return this.list(sync, { limit: 1 })[0];
  }

  /** The sync's latest run that ended with one of `statuses`. */
  lastWith(sync: string, statuses: readonly RunStatus[]): RunRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM runs WHERE sync = ? AND status IN (${statuses.map(() => "?").join(", ")}) ORDER BY id DESC LIMIT 1`,
      )
      .get(sync, ...statuses) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** When the sync's first recorded run was created. */
  firstCreatedAt(sync: string): number | undefined {
    const row = this.db.prepare("SELECT min(created_at) AS at FROM runs WHERE sync = ?").get(sync) as {
      at: number | null;
    };
    return row.at ?? undefined;
  }

  /** The run of this sync that is running now (by any live process), if any. */
  running(sync: string, now = Date.now()): RunRecord | undefined {
    const rows = this.db.prepare("SELECT * FROM runs WHERE sync = ? AND status = 'running'").all(sync) as Row[];
    const row = rows.find((r) => ownerAlive(r.owner, r.heartbeat_at, now));
    return row ? toRecord(row) : undefined;
  }

  /**
   * Marks the run running if no live process runs this sync; in one IMMEDIATE transaction so
   * two processes sharing the state file cannot both start it. Returns the run in the way.
   */
  start(id: string, sync: string): RunRecord | undefined {
    return this.db
      .transaction(() => {
        const other = this.running(sync);
        if (other && other.id !== id) return other;
        const now = Date.now();
        this.db
          .prepare(
            "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE sync = ? AND status = 'running' AND id != ?",
          )
          .run(now, sync, id);
        this.db
          .prepare("UPDATE runs SET status = 'running', started_at = ?, owner = ?, heartbeat_at = ? WHERE id = ?")
          .run(now, OWNER, now, id);
        return undefined;
      })
      .immediate();
  }

  heartbeat(id: string, counts: RunCounts): void {
    this.db
      .prepare("UPDATE runs SET heartbeat_at = ?, counts = ? WHERE id = ?")
      .run(Date.now(), JSON.stringify(counts), id);
  }

  finish(
    id: string,
    result: {
      status: RunStatus;
      counts?: RunCounts | undefined;
      invalidSamples?: RunRecord["invalidSamples"];
      error?: { code: string; message: string } | undefined;
    },
  ): RunRecord {
    this.db
      .prepare(
        `UPDATE runs SET status = ?, finished_at = ?, counts = coalesce(?, counts), invalid = ?, invalid_samples = ?,
           error_code = ?, error_message = ? WHERE id = ?`,
      )
      .run(
        result.status,
        Date.now(),
        result.counts ? JSON.stringify(result.counts) : null,
        result.counts?.invalid ?? 0,
        JSON.stringify(result.invalidSamples ?? []),
        result.error?.code ?? null,
        result.error?.message ?? null,
        id,
      );
    return this.get(id)!;
  }

  /**
   * At start: runs left `running` by a dead process become `interrupted`; runs left `queued`
   * by a dead process are dropped to `interrupted` too (their trigger is gone).
   */
  recoverInterrupted(now = Date.now()): number {
    const open = this.db.prepare("SELECT * FROM runs WHERE status IN ('running', 'queued')").all() as Row[];
    const mark = this.db.prepare(
      `UPDATE runs SET status = 'interrupted', finished_at = ?, error_code = 'interrupted',
         error_message = 'the process running it stopped before it finished' WHERE id = ?`,
    );
    let changes = 0;
    for (const row of open) {
      if (ownerAlive(row.owner, row.heartbeat_at ?? row.created_at, now)) continue;
      changes += mark.run(now, row.id).changes;
    }
    return changes;
  }

  /** Runs this process owns that are still open (for shutdown). */
  markOwnInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', finished_at = ?, error_code = 'interrupted',
           error_message = 'the service stopped before the run finished' WHERE status IN ('running','queued') AND owner = ?`,
      )
      .run(Date.now(), OWNER).changes;
  }
}

function toRecord(row: Row): RunRecord {
  return {
    id: row.id,
    sync: row.sync,
    status: row.status,
    trigger: row.trigger,
    options: JSON.parse(row.options) as RunOptions,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counts: row.counts ? (JSON.parse(row.counts) as RunCounts) : null,
    invalid: row.invalid,
    invalidSamples: row.invalid_samples ? JSON.parse(row.invalid_samples) : [],
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? "" } : null,
  };
}
