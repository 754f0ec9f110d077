import { type EngineEvents, preview } from "../../engine/index.ts";
import { failuresCsv } from "../../host/failures-csv.ts";
import { makeRedactor } from "../../host/redact.ts";
import type { ChangelogRow } from "../../state/changelog-store.ts";
import { FINISHED, type RunOptions, type RunRecord } from "../../state/run-store.ts";
import type { AppDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { failureView, iso, runView } from "../present.ts";
import { syncSummary } from "../routes/syncs.ts";
import { alertRows } from "./alert-rows.ts";
import type { ConsoleData, PreviewSample, SyncOverview } from "./data.ts";

const CHART_RUNS = 20;
const PREVIEW_SAMPLES = 10;
/** Rows of the changelog a record's or a run's page shows (the API pages through all of them). */
const HISTORY_ROWS = 100;
const RUN_RECORDS = 200;

export const NOT_RECORDED = {
  calls: "The API inspector is off (inspector.calls: 0): no calls to destinations are recorded.",
  before:
    "Syncline's state keeps a hash of each delivered record's fields, not their values, so the values last sent are not known.",
};

/** The console's data over today's engine and state. See data.ts for the contract. */
export function engineConsoleData(deps: AppDeps): ConsoleData {
  const { engine, config } = deps;
  const { ledger, snapshots, changelog, calls } = deps.stores;
  const redact = makeRedactor(config.secrets);
  const view = (run: RunRecord) => runView(run, deps.progress?.get(run.id));

  const summary = (name: string, ledgerSize: number): SyncOverview => ({
    ...syncSummary(deps, name, ledgerSize),
    recent: engine.runs.list(name, { limit: CHART_RUNS }).map(view).reverse(),
  });

  return {
    overview() {
      const sizes = ledger.countsBySync();
      return engine.syncNames().map((name) => summary(name, sizes.get(name) ?? 0));
    },

    sync(name) {
      const base = summary(name, ledger.count(name));
      const last = base.lastRun;
      const active = last && !FINISHED.includes(last.status) ? last : null;
      const described = JSON.parse(redact(JSON.stringify(config.describeSync(name)))) as Record<string, unknown>;
      return { ...base, config: described, active };
    },

    runs(sync, page) {
      engine.sync(sync);
      const rows = engine.runs.list(sync, { limit: page.limit + 1, before: page.before });
      const runs = rows.slice(0, page.limit);
      return { runs: runs.map(view), next: rows.length > page.limit ? runs[runs.length - 1]!.id : null };
    },

    run(id) {
      const run = engine.runs.get(id);
      return run ? view(run) : undefined;
    },

    failures(sync, filter, page) {
      engine.sync(sync);
      const { total: matching, rows } = ledger.search(sync, filter, { limit: page.limit + 1, after: page.after });
      const shown = rows.slice(0, page.limit);
      return {
        total: ledger.count(sync),
        matching,
        failures: shown.map(failureView),
        next: rows.length > page.limit ? shown[shown.length - 1]!.key : null,
      };
    },

    failuresCsv(sync) {
      engine.sync(sync);
      return failuresCsv(ledger.all(sync));
    },

    async preview(name, options) {
      const started = performance.now();
      const result = await preview(deps.state.sqlite, engine.sync(name), deps.logger, {
        fullResync: options.fullResync,
        sampleSize: PREVIEW_SAMPLES,
        signal: options.signal,
      });
      const sample = (
        records: Array<{ key: string; fields?: Record<string, unknown>; changedFields?: string[] }>,
      ): PreviewSample[] =>
        records.map((record) => ({
          key: record.key,
          after: record.fields,
          ...(record.changedFields ? { changedFields: record.changedFields } : {}),
          remoteId: snapshots.get(name, record.key)?.remoteId,
        }));
      return {
        sync: name,
        fullResync: options.fullResync,
        counts: result.counts,
        ms: Math.round(performance.now() - started),
        samples: {
          added: sample(result.samples.added),
          changed: sample(result.samples.changed),
          removed: sample(result.samples.removed),
        },
        invalidSamples: result.invalidSamples,
        deleteGuard: result.deleteGuard ?? null,
        beforeValues: { available: false, reason: NOT_RECORDED.before },
        mapping: result.mapping,
        unsendable: result.unsendable,
      };
    },

    trigger(sync, options: RunOptions) {
      if (engine.draining) throw new ApiError(503, "shutting_down", "the service is shutting down; try again later");
      const { run, coalesced } = engine.trigger(sync, { trigger: "console", options });
      deps.logger.info({ sync, runId: run.id, coalesced, options }, "run triggered from the console");
      return { run: view(run), coalesced };
    },

    cancel(runId) {
      const run = engine.runs.get(runId);
      if (!run) throw new ApiError(404, "unknown_run", `no run with id ${runId}`);
      if (FINISHED.includes(run.status)) {
        throw new ApiError(409, "run_finished", `run ${runId} has already finished (${run.status})`);
      }
      const after = engine.cancel(runId) ?? run;
      deps.logger.info({ sync: run.sync, runId, status: after.status }, "cancel requested from the console");
      return view(after);
    },

    watch(runId, listener) {
      const onProgress = (event: EngineEvents["progress"][0]) => {
        if (event.runId === runId)
          listener({ type: "progress", phase: event.phase, counts: structuredClone(event.counts) });
      };
      const onFinished = (run: RunRecord) => {
        if (run.id === runId) listener({ type: "finished", run: view(run) });
      };
      engine.on("progress", onProgress);
      engine.on("run:finished", onFinished);
      return () => {
        engine.off("progress", onProgress);
        engine.off("run:finished", onFinished);
      };
    },

    record(sync, key) {
      engine.sync(sync);
      const snapshot = snapshots.get(sync, key);
      const failure = ledger.get(sync, key);
      return {
        sync,
        key,
        snapshot: snapshot
          ? { confirmed: snapshot.confirmed, remoteId: snapshot.remoteId, deliveredAt: iso(snapshot.deliveredAt) }
          : null,
        failure: failure ? failureView(failure) : null,
        history: { available: true, rows: changelog.forRecord(sync, key, { limit: HISTORY_ROWS }).map(entryOf) },
      };
    },

    runRecords: (runId, outcome) => ({
      available: true,
      rows: changelog.forRun(runId, { outcome, limit: RUN_RECORDS }).map(entryOf),
    }),
    alerts: () => alertRows(config.alerts, deps.stores.alerts),

    destinations() {
      const byName = new Map<string, { name: string; type: string; syncs: string[] }>();
      for (const [name, sync] of config.syncs) {
        const entry = byName.get(sync.destination.name) ?? { ...sync.destination, syncs: [] };
        entry.syncs.push(name);
        byName.set(entry.name, entry);
      }
      return [...byName.values()];
    },

    destinationCalls(name) {
      const rows = calls.last(name, 1000);
      if (rows.length === 0 && deps.config.inspector?.calls === 0)
        return { available: false, reason: NOT_RECORDED.calls };
      return { available: true, rows: rows.map((row) => ({ ...row, at: iso(row.at) })) };
    },
  };
}

/** The contract's fields only: the row's cursor and kept values stay out of the pages. */
function entryOf(row: ChangelogRow) {
  const { id: _id, values: _values, ...entry } = row;
  return entry;
}
