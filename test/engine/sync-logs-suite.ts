import { afterEach, expect, it } from "vitest";
import { sourceContext } from "../../src/engine/shared/source-handle.ts";
import { loadRunLogs } from "../../src/engine/sync-logs/loader.ts";
import type { SyncLogsOutcome } from "../../src/engine/sync-logs/types.ts";
import { type Logger, silentLogger } from "../../src/sdk/logger.ts";
import type { RunRecord } from "../../src/state/run-store.ts";
import { SyncLogStore } from "../../src/state/sync-log-store.ts";
import type { WarehouseBackend } from "../support/backends.ts";
import { Harness, people } from "../support/harness.ts";
import { RecordedChangelog } from "../support/recorded-changelog.ts";
import { warnings } from "../support/warning-logger.ts";

/**
 * Warehouse sync logs (docs/sync-logs.md) on one warehouse, with the diff local or in the
 * warehouse: what each run loads, that a retried load leaves one copy, and that a load that
 * fails warns, stays pending, never fails the run, and is retried after the next run.
 */
export function syncLogsSuite(backend: () => WarehouseBackend, diff: "local" | "warehouse"): void {
  let harness: Harness;
  afterEach(async () => harness?.close());

  async function start(logger: Logger = silentLogger) {
    const warehouse = backend();
    const schema = warehouse.diffSchema;
    let recorder: RecordedChangelog | undefined;
    harness = new Harness({
      diff,
      backend: () => warehouse,
      logger,
      syncLogs: { schema },
      entries: (runId) => recorder!.entries(runId),
    });
    recorder = new RecordedChangelog(harness.destination);
    await harness.setup();
    await harness.sql(people(1, 10));
    const outcomes: SyncLogsOutcome[] = [];
    harness.engine.on("sync-logs", (outcome) => outcomes.push(outcome));
    return { h: harness, recorder, outcomes, schema };
  }

  async function run(h: Harness): Promise<RunRecord> {
    const run = await h.run();
    await h.engine.syncLogsSettled();
    return run;
  }

  const table = (schema: string, name: string) => `"${schema}"."${name}"`;
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

  // Column names as the warehouse reports them (upper case on Snowflake), lowered.
  const lower = (rows: Array<Record<string, unknown>>) =>
    rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, value]) => [k.toLowerCase(), value])));

  async function logs(h: Harness, schema: string) {
    const rows = async (sql: string) => lower(await h.backend.rows(sql));
    const runs = await rows(
      `SELECT run_id, status, succeeded_added, failed_added, rows_read, finished_at FROM ${table(schema, "sync_runs")} ORDER BY run_id`,
    );
    const changelog = await rows(
      `SELECT run_id, key, operation, outcome, remote_id FROM ${table(schema, "sync_changelog")} ORDER BY run_id, key`,
    );
    const snapshot = await rows(
      `SELECT key, last_operation, last_outcome, code, reason, remote_id, last_run_id, last_success_at, first_failed_at
       FROM ${table(schema, "sync_snapshot")} ORDER BY key`,
    );
    const byKey = new Map(snapshot.map((row) => [String(row.key), row]));
    return { runs, changelog, snapshot, byKey };
  }

  it("loads each run, its changelog and its records' latest status; a retried load adds no duplicate rows", async () => {
    const { h, recorder, outcomes, schema } = await start();
    recorder.decide = (record) => (record.key === "3" || record.key === "4" ? "reject" : "ok");
    const first = await run(h);
    expect(first.status).toBe("partial");
    let got = await logs(h, schema);
    expect(got.runs).toHaveLength(1);
    expect(text(got.runs[0]!.run_id)).toBe(first.id);
    expect(text(got.runs[0]!.status)).toBe("partial");
    expect(Number(got.runs[0]!.succeeded_added)).toBe(8);
    expect(Number(got.runs[0]!.failed_added)).toBe(2);
    expect(Number(got.runs[0]!.rows_read)).toBe(10);
    expect(got.runs[0]!.finished_at).not.toBeNull();
    expect(got.changelog).toHaveLength(10);
    expect(got.snapshot).toHaveLength(10);
    expect(got.byKey.get("3")).toMatchObject({
      last_outcome: "reject",
      code: "INVALID",
      reason: "record 3 is invalid",
    });
    expect(got.byKey.get("3")!.first_failed_at).not.toBeNull();
    expect(got.byKey.get("3")!.last_success_at).toBeNull();
    expect(got.byKey.get("1")).toMatchObject({ last_operation: "add", last_outcome: "ok", remote_id: "remote-1" });
    expect(got.byKey.get("1")!.last_success_at).not.toBeNull();
    expect(outcomes).toMatchObject([{ runId: first.id, outcome: "loaded" }]);
    expect(new SyncLogStore(h.state.sqlite).count()).toBe(0);

    // The same run loaded again (a retry after a lost acknowledgement): still one copy.
    await reload(h, first, schema, recorder);
    expect(await logs(h, schema)).toEqual(got);

    await h.sql("UPDATE people SET version = 2 WHERE id IN (1, 4)");
    recorder.decide = (record) => (record.key === "3" ? "reject" : "ok");
    const firstFailed = got.byKey.get("3")!.first_failed_at;
    const second = await run(h);
    expect(second.status).toBe("partial"); // 3 is sent again, and rejected again
    got = await logs(h, schema);
    expect(got.runs.map((row) => text(row.run_id))).toEqual([first.id, second.id]);
    expect(got.changelog.filter((row) => row.run_id === second.id).map((row) => text(row.key))).toEqual([
      "1",
      "3",
      "4",
    ]);
    expect(got.snapshot).toHaveLength(10);
    const four = got.byKey.get("4")!;
    expect(four).toMatchObject({ last_outcome: "ok", reason: null, remote_id: "remote-4", last_run_id: second.id });
    expect(four.first_failed_at).toBeNull();
    expect(four.last_success_at).not.toBeNull();
    expect(got.byKey.get("1")).toMatchObject({ last_operation: "change", last_run_id: second.id });
    // Still rejected: since the first run's failure.
    expect(got.byKey.get("3")).toMatchObject({ last_outcome: "reject", last_run_id: second.id });
    expect(got.byKey.get("3")!.first_failed_at).toEqual(firstFailed);

    // An older run loaded again never overwrites a newer status.
    await reload(h, first, schema, recorder);
    expect(await logs(h, schema)).toEqual(got);
  });

  it("a log schema it cannot write: a warning, a pending load, the run unaffected; the next run loads both", async () => {
    const logger = warnings();
    const { h, outcomes, schema } = await start(logger);
    // A table where sync_runs should be, with other columns: every load fails.
    await h.sql(`CREATE SCHEMA IF NOT EXISTS "${schema}"; CREATE TABLE "${schema}"."sync_runs" (x INTEGER)`);
    const first = await run(h);
    expect(first.status).toBe("succeeded");
    expect(h.engine.runs.get(first.id)!.status).toBe("succeeded");
    expect(outcomes).toMatchObject([{ runId: first.id, outcome: "failed" }]);
    const warning = logger.warned.find((w) => String(w.msg).includes("could not load the sync logs"));
    expect(warning?.msg).toContain(`schema "${schema}"`);
    expect(warning?.msg).toContain("retried after the sync's next run");
    const pending = new SyncLogStore(h.state.sqlite).pending("people");
    expect(pending).toMatchObject([{ runId: first.id, attempts: 1 }]);
    expect(pending[0]!.lastError).toBeTruthy();

    await h.sql(`DROP TABLE "${schema}"."sync_runs"`);
    const second = await run(h);
    expect(second.status).toBe("succeeded");
    const got = await logs(h, schema);
    expect(got.runs.map((row) => text(row.run_id))).toEqual([first.id, second.id]);
    expect(got.changelog.filter((row) => row.run_id === first.id)).toHaveLength(10);
    expect(new SyncLogStore(h.state.sqlite).count()).toBe(0);
  });

  async function reload(h: Harness, run: RunRecord, schema: string, recorder: RecordedChangelog) {
    const sync = h.engine.sync("people");
    const access = sync.source.plugin.warehouse!;
    const ctx = sourceContext(sync.source, silentLogger, new AbortController().signal);
    await loadRunLogs(
      h.engine.runs.get(run.id)!,
      { access, ctx, schema },
      { store: new SyncLogStore(h.state.sqlite), entries: recorder.entries, logger: silentLogger },
    );
  }
}
