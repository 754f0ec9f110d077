import type Database from "better-sqlite3";
import type { StagingArea } from "./staging-area.ts";

export type Location = "local" | "warehouse";
export type JournalRow = [key: string, hash: string | null, remoteId: string | null];

/** The hash a snapshot row gets when it is carried over from the other mode: never equal to a real hash, not ''. */
export const SEEDED_HASH = "seeded";

const PAGE = 5_000;
/** A journal row the sink has not touched: its key keeps the warehouse's row. */
const UNTOUCHED = "~untouched";

/**
 * Syncline's local state for a sync in warehouse mode (src/engine/delta/warehouse/). The full
 * snapshot lives in the warehouse; SQLite holds only the current run's journal:
 *
 * - `warehouse_pending` — every key of the run's delta (written before anything is sent);
 * - `snapshots` rows for those keys only: the keys the warehouse holds start as "untouched"
 *   and are updated per batch by the ordinary commit (accepted, failed, in doubt, deleted),
 *   so the sink is unchanged.
 *
 * A touched key's final state is its `snapshots` row, or no row (deleted). Applying the
 * journal to the warehouse is idempotent, so after a crash it is simply applied again.
 * `warehouse_syncs` records which mode last owned each sync's snapshot, to switch modes.
 */
export class JournalStore {
  private readonly db: Database.Database;
  readonly sync: string;

  constructor(db: Database.Database, sync: string) {
    this.db = db;
    this.sync = sync;
  }

  location(): { location: Location; schema: string } | undefined {
    return this.db.prepare("SELECT location, schema FROM warehouse_syncs WHERE sync = ?").get(this.sync) as
      | { location: Location; schema: string }
      | undefined;
  }

  setLocation(location: Location, schema: string): void {
    this.db
      .prepare(
        `INSERT INTO warehouse_syncs (sync, location, schema, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(sync) DO UPDATE SET location = excluded.location, schema = excluded.schema, updated_at = excluded.updated_at`,
      )
      .run(this.sync, location, schema, Date.now());
  }

  pendingCount(): number {
    return (
      this.db.prepare("SELECT count(*) AS n FROM warehouse_pending WHERE sync = ?").get(this.sync) as { n: number }
    ).n;
  }

  localSnapshotCount(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM snapshots WHERE sync = ?").get(this.sync) as { n: number }).n;
  }

  /**
   * Journals a staged delta (one transaction, before anything is sent): every key becomes
   * pending, and the keys the warehouse snapshot holds get a row marked untouched. The sink's
   * commits then give touched keys their final state; untouched ones (never sent: a cancel,
   * a crash, the delete guard) are left out of the commit, so they keep their warehouse row.
   */
  record(staging: StagingArea): void {
    const { table } = staging;
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT OR IGNORE INTO warehouse_pending (sync, key)
           SELECT ?, key FROM ${table} WHERE change IN ('added', 'changed', 'removed')`,
        )
        .run(this.sync);
      this.db
        .prepare(
          `INSERT OR IGNORE INTO snapshots (sync, key, hash, remote_id, delivered_at)
           SELECT ?, key, '${UNTOUCHED}', remote_id, 0 FROM ${table} WHERE change IN ('changed', 'removed')`,
        )
        .run(this.sync);
    })();
  }

  /** Each pending key the run touched, with its final state (hash null: no row), in pages. */
  *pendingState(): Generator<JournalRow[]> {
    const page = this.db.prepare(
      `SELECT p.key, s.hash, s.remote_id FROM warehouse_pending p
       LEFT JOIN snapshots s ON s.sync = p.sync AND s.key = p.key
       WHERE p.sync = ? AND p.key > ? AND (s.hash IS NULL OR s.hash <> '${UNTOUCHED}') ORDER BY p.key LIMIT ?`,
    );
    yield* paged((after) => page.raw().all(this.sync, after, PAGE) as JournalRow[]);
  }

  /** The local snapshot (local mode's), hashes replaced by the seeded marker ('' kept: it means "send again"). */
  *localSnapshot(): Generator<JournalRow[]> {
    const page = this.db.prepare(
      `SELECT key, CASE WHEN hash = '' THEN '' ELSE '${SEEDED_HASH}' END, remote_id FROM snapshots
       WHERE sync = ? AND key > ? ORDER BY key LIMIT ?`,
    );
    yield* paged((after) => page.raw().all(this.sync, after, PAGE) as JournalRow[]);
  }

  /** Writes snapshot rows carried over from the warehouse (switching to local mode). */
  insertSnapshot(rows: JournalRow[]): void {
    const insert = this.db.prepare(
      "INSERT OR REPLACE INTO snapshots (sync, key, hash, remote_id, delivered_at) VALUES (?, ?, ?, ?, ?)",
    );
    const now = Date.now();
    this.db.transaction(() => {
      for (const [key, hash, remoteId] of rows) insert.run(this.sync, key, hash ?? "", remoteId, now);
    })();
  }

  /** Forgets the journal and every local snapshot row of the sync (after a commit, or a reset). */
  clear(location?: { location: Location; schema: string }): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM warehouse_pending WHERE sync = ?").run(this.sync);
      this.db.prepare("DELETE FROM snapshots WHERE sync = ?").run(this.sync);
      if (location) this.setLocation(location.location, location.schema);
    })();
  }
}

function* paged(page: (after: string) => JournalRow[]): Generator<JournalRow[]> {
  let after = "";
  for (;;) {
    const rows = page(after);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]![0];
    yield rows;
  }
}
