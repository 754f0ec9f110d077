import type { StagingArea } from "./staging-area.ts";

/** A staged record whose fields are being shaped (changed fields only, `nulls: skip`). */
export interface StagedFieldsRow {
  seq: number;
  key: string;
  change: "added" | "changed";
  fields: string;
  fieldHashes: string | null;
}

/**
 * The SQL of field shaping (src/engine/delta/field-delta.ts): pages of a run's staged delta with
 * their fields, the field hashes of each record's last successful delivery, and the shaped
 * fields written back to the staging table.
 */
export class StagedFieldsStore {
  readonly page: (after: number) => StagedFieldsRow[];
  readonly previousHashes: (sync: string, key: string) => string | null;
  readonly update: (seq: number, fields: string, failedHashes: string | null, changedFields: string | null) => void;
  readonly transaction: <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => void;

  /** `includeAdded`: added records are shaped too (`nulls: skip`), not only changed ones. */
  constructor(staging: StagingArea, options: { includeAdded: boolean; pageSize: number }) {
    const { db, table: stagingTable } = staging;
    const page = db.prepare(
      `SELECT seq, key, change, fields, field_hashes AS fieldHashes FROM ${stagingTable}
       WHERE seq > ? AND change IN (${options.includeAdded ? "'added', 'changed'" : "'changed'"}) AND fields IS NOT NULL
       ORDER BY seq LIMIT ${options.pageSize}`,
    );
    const previous = db.prepare("SELECT field_hashes FROM snapshots WHERE sync = ? AND key = ?").pluck();
    const update = db.prepare(
      `UPDATE ${stagingTable} SET fields = ?, failed_hashes = ?, changed_fields = ? WHERE seq = ?`,
    );
    this.page = (after) => page.all(after) as StagedFieldsRow[];
    this.previousHashes = (sync, key) => (previous.get(sync, key) as string | null | undefined) ?? null;
    this.update = (seq, fields, failedHashes, changedFields) => update.run(fields, failedHashes, changedFields, seq);
    this.transaction = (fn) => db.transaction(fn);
  }
}
