import type { CanonicalRow } from "../../sdk/values.ts";
import { type StagedFieldsRow, StagedFieldsStore } from "../../state/staged-fields-store.ts";
import type { StagingArea } from "../../state/staging-area.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { changedFields, failedHashes } from "./field-hashes.ts";

const PAGE = 2048;

/**
 * Shapes what each staged record carries, once the delta is planned and before anything is sent:
 *
 * - `nulls: skip`: fields that are null are left out (the destination keeps its value);
 * - `sendChangedFieldsOnly`: the planner computed the record's field hashes; a changed record carries
 *   only the fields whose hash differs from the snapshot's (those changed since its last
 *   successful delivery, and those sent since without confirmation), plus `alwaysSend`. An
 *   added record, one without usable hashes, and a full resync carry every field.
 *
 * Only the delta's rows are read (unchanged rows cost nothing); a sync with neither option
 * skips this entirely. Invariant: the row hash stays the hash of every mapped field, so
 * whether a record changed never depends on these options.
 */
export function shapeRecords(
  staging: StagingArea,
  spec: SyncSpec,
  options: { fullResync?: boolean | undefined } = {},
): void {
  const changedOnly = spec.changedFieldsOnly;
  const skipNulls = spec.nulls === "skip";
  if (!changedOnly && !skipNulls) return;
  const names = spec.mapping.map(([field]) => field);
  const alwaysSend = new Set(changedOnly?.alwaysSend ?? []);
  // Added records carry every field: without `nulls: skip` they are as the planner staged them.
  const store = new StagedFieldsStore(staging, { includeAdded: skipNulls, pageSize: PAGE });
  const shape = store.transaction((rows: StagedFieldsRow[]) => {
    for (const row of rows) {
      const fields = JSON.parse(row.fields) as CanonicalRow;
      // The planner computed them (record.ts) for every record of a sendChangedFieldsOnly sync.
      const next = row.fieldHashes;
      let previous: string | null = null;
      let changed: string[] | undefined;
      if (next !== null && row.change === "changed") {
        previous = store.previousHashes(spec.name, row.key);
        if (!options.fullResync) changed = changedFields(previous, next, names);
      }
      const keep = changed && new Set([...changed, ...alwaysSend]);
      const sent: CanonicalRow = {};
      for (const name of Object.keys(fields)) {
        const value = fields[name]!;
        if (keep && !keep.has(name)) continue;
        if (skipNulls && value === null) continue;
        sent[name] = value;
      }
      const failed = next === null ? null : failedHashes(previous, next, names, new Set(Object.keys(sent)));
      store.update(row.seq, JSON.stringify(sent), failed, changed ? JSON.stringify(changed) : null);
    }
  });
  let after = 0;
  for (;;) {
    const rows = store.page(after);
    if (rows.length === 0) return;
    shape(rows);
    after = rows[rows.length - 1]!.seq;
  }
}
