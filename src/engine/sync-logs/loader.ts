import type { Logger } from "../../sdk/logger.ts";
import type { SourceContext, TableRef, WarehouseAccess } from "../../sdk/source.ts";
import { dialectFor } from "../../sdk/sql/dialects.ts";
import type { RunRecord } from "../../state/run-store.ts";
import type { SyncLogStore } from "../../state/sync-log-store.ts";
import { changelogRow, type Row, runRow, snapshotFromEntry, snapshotFromLedger } from "./rows.ts";
import { LogStatements } from "./statements.ts";
import { CHANGELOG_COLUMNS, type LogColumn, RUN_COLUMNS, SNAPSHOT_STAGE_COLUMNS } from "./tables.ts";
import type { EntriesForRun } from "./types.ts";

/** SQL text per INSERT statement when the driver has no bulk load (BigQuery's limit is 1 MB). */
const INSERT_CHARS = 800_000;

export interface LoadTarget {
  access: WarehouseAccess<unknown>;
  ctx: SourceContext<unknown>;
  schema: string;
}

export interface LoadDeps {
  store: SyncLogStore;
  entries: EntriesForRun;
  logger: Logger;
  now?: () => number;
}

export interface Loaded {
  runs: number;
  changelog: number;
  snapshot: number;
}

/**
 * Loads one finished run's logs into the warehouse: its sync_runs row (from the runs table),
 * its changelog, and the latest status of every record it touched (changelog, ledger and local
 * snapshot) merged into sync_snapshot. Rows go in bulk into the run's staging tables; one
 * transaction then replaces any earlier attempt's rows, so retrying is always safe.
 */
export async function loadRunLogs(run: RunRecord, target: LoadTarget, deps: LoadDeps): Promise<Loaded> {
  const { access, ctx } = target;
  const sql = new LogStatements(dialectFor(access.dialect), target.schema, run);
  const execute = (statements: string[]) => access.execute(ctx, statements);
  // The schema may exist already, made by someone allowed to: only if the tables cannot be
  // created either is the schema's own error (permission denied …) the one worth reporting.
  let schemaError: unknown;
  try {
    await execute([sql.createSchema()]);
  } catch (error) {
    schemaError = error;
  }
  try {
    await execute(sql.createTables());
  } catch (error) {
    throw schemaError ?? error;
  }
  await execute(sql.prepareStages());
  try {
    const loaded = await stage(run, sql, target, deps);
    await execute([sql.mergeSnapshot()]);
    await execute(sql.commit());
    return loaded;
  } finally {
    await execute(sql.dropStages()).catch((error: unknown) =>
      deps.logger.debug({ err: String(error) }, "could not drop the sync logs staging tables"),
    );
  }
}

/** Rows gathered per bulk load: each call has a fixed cost (DuckDB opens the file for it). */
const LOAD_ROWS = 50_000;

async function stage(run: RunRecord, sql: LogStatements, target: LoadTarget, deps: LoadDeps): Promise<Loaded> {
  const changes = new Buffered((rows) => bulk(target, sql, sql.stages.changelog, CHANGELOG_COLUMNS, rows));
  const snapshot = new Buffered((rows) => bulk(target, sql, sql.stages.snapshot, SNAPSHOT_STAGE_COLUMNS, rows));
  await bulk(target, sql, sql.stages.runs, RUN_COLUMNS, [runRow(run, (deps.now ?? Date.now)())]);
  let seq = 0;
  for await (const page of deps.entries(run.id)) {
    const entries = page.filter((entry) => entry.runId === run.id && entry.sync === run.sync);
    if (entries.length === 0) continue;
    const keys = entries.map((entry) => entry.key);
    const failing = deps.store.ledgerFor(
      run.sync,
      keys.filter((_, i) => entries[i]!.outcome !== "ok"),
    );
    const remoteIds = deps.store.remoteIds(run.sync, keys);
    await changes.add(entries.map(changelogRow));
    await snapshot.add(
      entries.map((entry) => snapshotFromEntry(entry, failing.get(entry.key), remoteIds.get(entry.key), seq++)),
    );
  }
  // The ledger is the state's word on records still failing after this run.
  for (const page of deps.store.failingInRun(run.sync, run.id)) {
    const remoteIds = deps.store.remoteIds(
      run.sync,
      page.map((record) => record.key),
    );
    await snapshot.add(
      page.map((record) => snapshotFromLedger(run.sync, run.id, record, remoteIds.get(record.key), seq++)),
    );
  }
  await changes.flush();
  await snapshot.flush();
  return { runs: 1, changelog: changes.total, snapshot: seq };
}

/** Rows gathered into loads of LOAD_ROWS. */
class Buffered {
  total = 0;
  private rows: Row[] = [];
  private readonly load: (rows: Row[]) => Promise<void>;

  constructor(load: (rows: Row[]) => Promise<void>) {
    this.load = load;
  }

  async add(rows: Row[]): Promise<void> {
    this.rows.push(...rows);
    this.total += rows.length;
    if (this.rows.length >= LOAD_ROWS) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    await this.load(rows);
  }
}

/** The driver's bulk load (COPY-like appends), or multi-row INSERT statements up to ~800 kB each. */
async function bulk(target: LoadTarget, sql: LogStatements, ref: TableRef, columns: readonly LogColumn[], rows: Row[]) {
  if (rows.length === 0) return;
  const { access, ctx } = target;
  if (access.bulkLoad) {
    await access.bulkLoad(ctx, ref, sql.columnNames(columns), rows);
    return;
  }
  let batch: Row[] = [];
  let chars = 0;
  for (const row of rows) {
    batch.push(row);
    chars += 16 + row.reduce((sum, value) => sum + (value?.length ?? 4) * 2, 0);
    if (chars >= INSERT_CHARS) {
      await access.execute(ctx, [sql.insert(ref, columns, batch)]);
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) await access.execute(ctx, [sql.insert(ref, columns, batch)]);
}
