import type Database from "better-sqlite3";
import { classify } from "../../sdk/errors/classify.ts";
import { TransientError } from "../../sdk/errors/transient-error.ts";
import type { Logger } from "../../sdk/logger.ts";
import { expandInDoubtBatches } from "../../state/in-doubt-batches.ts";
import { type RunRecord, type RunStatus, RunStore } from "../../state/run-store.ts";
import { StagingArea } from "../../state/staging-area.ts";
import { chooseDelta } from "../delta/choose-delta.ts";
import { compareIdentity, type IdentityChange, type SyncIdentity } from "../delta/identity.ts";
import type { InvalidRow, PlanResult } from "../delta/planner.ts";
import { capabilitiesOf, type DeltaStrategy } from "../delta/strategy.ts";
import { indexChangelog } from "../ledger/changelog-indexer.ts";
import { redactError } from "../ledger/redact-error.ts";
import { fieldsForRun } from "../schema/discover.ts";
import { emptyCounts, type RunCounts, total } from "../shared/counts.ts";
import type { SourceHandle } from "../shared/source-handle.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { activeContext, inSpan, tracedRead } from "../shared/tracing.ts";
import type { DestinationHandle } from "../sink/destination-handle.ts";
import type { CallLog } from "../sink/inspector.ts";
import { sink } from "../sink/sink.ts";
import type { Halt, Wait } from "../sink/waits.ts";
import { checkDeleteGuard } from "./guard.ts";
import { explainReadFailure, verifyModelColumns } from "./model-columns.ts";
import { plannedAttributes, traceRun } from "./trace-run.ts";

export interface RunInputs {
  db: Database.Database;
  spec: SyncSpec;
  source: SourceHandle;
  destination: DestinationHandle;
  identity: SyncIdentity;
  logger: Logger;
  /** The API inspector's call log. */
  calls?: CallLog | undefined;
}

export interface RunControl {
  /** Cancel: stop at the next batch boundary, commit what was delivered. */
  cancel: AbortSignal;
  /** Shutdown: like cancel, but the run ends `interrupted`. */
  shutdown: AbortSignal;
  /** Abort destination calls in flight (shutdown past its grace). */
  abort: AbortSignal;
  onProgress?: (phase: "planning" | "sending", counts: RunCounts) => void;
  onBatch?: (info: { records: number; ms: number }) => void;
  /** A long wait began (rate limit, quota, retry): for the run's progress. */
  onWait?: (wait: Wait) => void;
}

const HEARTBEAT_MS = 5_000;

/**
 * One run of a sync, start to finish: plan the delta against the snapshot, check the delete
 * guard, send in batches committing each one, and record how it ended. Never throws: the
 * outcome is the finished run record.
 */
export function executeRun(run: RunRecord, inputs: RunInputs, control: RunControl): Promise<RunRecord> {
  return traceRun(run, inputs.spec, inputs.destination.name, () => execute(run, inputs, control));
}

async function execute(run: RunRecord, inputs: RunInputs, control: RunControl): Promise<RunRecord> {
  const { db, spec, logger } = inputs;
  const runs = new RunStore(db);
  let blocker: RunRecord | undefined;
  try {
    blocker = runs.start(run.id, spec.name);
  } catch (error) {
    const reason = classify(error);
    return runs.finish(run.id, { status: "failed", error: { code: reason.code, message: reason.describe() } });
  }
  if (blocker) {
    return runs.finish(run.id, {
      status: "failed",
      error: { code: "already_running", message: `sync ${spec.name} is already running (${blocker.id})` },
    });
  }
  const counts = emptyCounts();
  let invalidSamples: InvalidRow[] = [];
  const staging = new StagingArea(db, run.id);
  const heartbeat = setInterval(() => {
    try {
      runs.heartbeat(run.id, counts);
    } catch (error) {
      logger.warn({ err: classify(error).describe() }, "could not record the run's heartbeat");
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const stop = AbortSignal.any([control.cancel, control.shutdown]);
  const readAbort = new AbortController();
  let delta: DeltaStrategy | undefined;
  try {
    // Batches a dead process left in flight: their keys are in doubt before anything reads the snapshot.
    expandInDoubtBatches(db, spec.name);
    const change = compareIdentity(db, spec.name, inputs.identity);
    const readSignal = AbortSignal.any([stop, readAbort.signal]);
    const chosen = deltaFor(run, inputs, control, change, readSignal);
    delta = chosen;
    const redact = inputs.destination.redact;
    let planned: PlanResult;
    try {
      planned = await inSpan("sync.plan", { "syncline.diff": spec.diff?.mode ?? "engine" }, redact, async (span) => {
        await chosen.prepare();
        const result = await chosen.plan(staging, counts, () => control.onProgress?.("planning", counts));
        span?.setAttributes(plannedAttributes(counts));
        return result;
      });
    } catch (error) {
      throw await explainReadFailure(error, inputs.source, spec, logger, readSignal);
    }
    if (change === "target")
      logger.warn({ sync: spec.name }, "destination, object or primary key changed: full resync");
    invalidSamples = planned.invalidSamples;
    if (stop.aborted) return await finish(control.cancel.aborted ? "cancelled" : "interrupted");

    if (spec.mode !== "mirror") {
      staging.forgetRemoved(spec.name);
      counts.planned.removed = 0;
    }
    staging.resolveObsoleteFailures(spec.name);

    const guard = checkDeleteGuard(spec, {
      removed: counts.planned.removed,
      snapshotSize: planned.snapshotSize,
      rowsRead: counts.rowsRead,
      force: run.options.forceDeletes === true,
    });
    if (guard) return await finish("failed", guard);

    // Read once per run, only when there is something to send.
    const sending = counts.planned.added + counts.planned.changed > 0;
    const fields = sending ? await fieldsForRun(spec, inputs.destination, logger, stop) : undefined;
    control.onProgress?.("sending", counts);
    const { halted } = await sink({
      fields,
      db,
      staging,
      spec,
      destination: inputs.destination,
      runId: run.id,
      counts,
      logger,
      stop,
      abort: control.abort,
      onBatch: (info) => {
        control.onBatch?.(info);
        control.onProgress?.("sending", counts);
      },
      onWait: control.onWait,
      calls: inputs.calls,
      pages: (changes) => chosen.pages?.(changes),
    });
    if (control.cancel.aborted) return await finish("cancelled");
    if (control.shutdown.aborted) return await finish("interrupted");
    if (halted) return await finish("partial", leftForNextRun(halted, counts));
    const failed = counts.failed.added + counts.failed.changed + counts.failed.removed;
    return await finish(failed > 0 ? "partial" : "succeeded");
  } catch (error) {
    if (control.cancel.aborted) return await finish("cancelled");
    if (control.shutdown.aborted) return await finish("interrupted");
    return await finish("failed", error);
  } finally {
    readAbort.abort();
    clearInterval(heartbeat);
    staging.drop();
  }

  /**
   * The delta's snapshot is committed where its strategy keeps it, and the changelog rows
   * indexed by record, before the run is recorded.
   */
  async function finish(status: RunStatus, error?: unknown): Promise<RunRecord> {
    const failure = await delta?.commit();
    await indexChangelog(db, logger, control.abort);
    if (failure !== undefined && error === undefined && status !== "cancelled" && status !== "interrupted") {
      return end("failed", failure);
    }
    return end(status, error);
  }

  function end(status: RunStatus, error?: unknown): RunRecord {
    // Sources' words (and anything else a run fails with) are masked like destinations'.
    const classified = error === undefined ? undefined : redactError(classify(error), inputs.destination.redact);
    if (classified) logger.error({ code: classified.code, err: classified.describe() }, "run failed");
    return runs.finish(run.id, {
      status,
      counts,
      invalidSamples,
      error: classified ? { code: classified.code, message: classified.describe() } : undefined,
    });
  }
}

/** The run's delta strategy (chosen once), given the run's signals, its read tracing and the model check. */
function deltaFor(
  run: RunRecord,
  inputs: RunInputs,
  control: RunControl,
  change: IdentityChange,
  signal: AbortSignal,
): DeltaStrategy {
  const { spec, source, logger } = inputs;
  const redact = inputs.destination.redact;
  // The run's span: each read's `sync.read` is its child, a sibling of `sync.plan`.
  const runContext = activeContext();
  const attributes = { "syncline.source": source.name, "syncline.model": spec.model.kind };
  return chooseDelta(spec, capabilitiesOf(source), {
    db: inputs.db,
    source,
    logger,
    identity: inputs.identity,
    change,
    fullResync: run.options.fullResync === true,
    dryRun: false,
    signal,
    commitSignal: control.abort,
    traceRead: (pages) => tracedRead(pages, attributes, redact, runContext),
    verifyModel: () => verifyModelColumns(source, spec, logger, signal),
  });
}

/** The run stopped sending (a quota, its wait budget): the error says why and what the next run sends. */
function leftForNextRun(halted: Halt, counts: RunCounts): TransientError {
  const left = total(counts.planned) - total(counts.succeeded) - total(counts.failed);
  const records = `${left.toLocaleString("en-US")} record${left === 1 ? "" : "s"}`;
  return new TransientError(`${halted.message} — ${records} left for the next run (nothing lost, no attempt used)`, {
    code: halted.code,
    fix: halted.fix,
  });
}
