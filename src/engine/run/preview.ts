import type Database from "better-sqlite3";
import type { Logger } from "../../sdk/logger.ts";
import type { CanonicalRow } from "../../sdk/values.ts";
import { StagingArea } from "../../state/staging-area.ts";
import { chooseDelta } from "../delta/choose-delta.ts";
import { compareIdentity } from "../delta/identity.ts";
import type { InvalidRow, PlanResult } from "../delta/planner.ts";
import { capabilitiesOf } from "../delta/strategy.ts";
import type { MappingReport } from "../schema/mapping-check.ts";
import { fieldLookup } from "../schema/mapping-check.ts";
import { mappingReport } from "../schema/mapping-report.ts";
import { type Unsendable, unsendable } from "../schema/unsendable.ts";
import { emptyCounts, type RunCounts } from "../shared/counts.ts";
import type { EngineSync } from "./engine.ts";
import { checkDeleteGuard } from "./guard.ts";
import { explainReadFailure } from "./model-columns.ts";

export interface PreviewRecord {
  key: string;
  /** What the record would carry (with sendChangedFieldsOnly or nulls: skip, only some fields). */
  fields?: CanonicalRow;
  /** A changed record of a sendChangedFieldsOnly sync: the fields changed since its last delivery. */
  changedFields?: string[];
}

export interface Preview {
  counts: RunCounts;
  invalidSamples: InvalidRow[];
  samples: { added: PreviewRecord[]; changed: PreviewRecord[]; removed: PreviewRecord[] };
  /** Why a real run would stop before deleting, if it would. */
  deleteGuard?: string | undefined;
  /** The mapping checked against the destination's fields, when it can describe them. */
  mapping?: MappingReport | undefined;
  /** Records a run would reject unsent: values that do not convert to their field's type. */
  unsendable?: Unsendable | undefined;
}

/**
 * A dry run: the same delta a run would compute, with counts and a sample of each kind of
 * change. Nothing is sent and nothing is committed (the staging table is dropped).
 */
export async function preview(
  db: Database.Database,
  sync: EngineSync,
  logger: Logger,
  options: { fullResync?: boolean; sampleSize?: number; signal?: AbortSignal } = {},
): Promise<Preview> {
  const counts = emptyCounts();
  const staging = new StagingArea(db, `preview_${process.pid}_${Date.now()}`);
  try {
    const signal = options.signal ?? new AbortController().signal;
    let result: PlanResult;
    try {
      result = await planPreview(db, sync, staging, counts, logger, signal, options.fullResync);
    } catch (error) {
      throw await explainReadFailure(error, sync.source, sync.spec, logger, signal);
    }
    if (sync.spec.mode !== "mirror") counts.planned.removed = 0;
    const size = options.sampleSize ?? 5;
    const sample = (change: "added" | "changed" | "removed") =>
      staging.sample(change, size).map((record) => ({
        key: record.key,
        ...(record.fields ? { fields: JSON.parse(record.fields) as CanonicalRow } : {}),
        ...(record.changedFields ? { changedFields: JSON.parse(record.changedFields) as string[] } : {}),
      }));
    const report = await mappingReport(sync, logger, signal);
    const found = report?.object
      ? unsendable(
          staging,
          sync.spec.mode === "insert" ? ["added"] : ["added", "changed"],
          fieldLookup(report.object),
          size,
        )
      : undefined;
    const guard = checkDeleteGuard(sync.spec, {
      removed: counts.planned.removed,
      snapshotSize: result.snapshotSize,
      rowsRead: counts.rowsRead,
      force: false,
    });
    return {
      counts,
      invalidSamples: result.invalidSamples,
      samples: {
        added: sample("added"),
        changed: sample("changed"),
        removed: sync.spec.mode === "mirror" ? sample("removed") : [],
      },
      deleteGuard: guard?.describe(),
      ...(report ? { mapping: { problems: report.problems, notes: report.notes } } : {}),
      ...(found ? { unsendable: found } : {}),
    };
  } finally {
    staging.drop();
  }
}

/** The delta a run would choose, planned as a dry run: nothing recorded, moved or committed. */
async function planPreview(
  db: Database.Database,
  sync: EngineSync,
  staging: StagingArea,
  counts: RunCounts,
  logger: Logger,
  signal: AbortSignal,
  fullResync: boolean | undefined,
): Promise<PlanResult> {
  const delta = chooseDelta(sync.spec, capabilitiesOf(sync.source), {
    db,
    source: sync.source,
    logger,
    identity: sync.identity,
    // A changed target makes a run start over: the dry run shows that full resync.
    change: compareIdentity(db, sync.spec.name, sync.identity),
    fullResync: fullResync === true,
    dryRun: true,
    signal,
  });
  await delta.prepare();
  return delta.plan(staging, counts);
}
