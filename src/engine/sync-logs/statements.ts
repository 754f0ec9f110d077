import type { TableRef } from "../../sdk/source.ts";
import type { Dialect } from "../../sdk/sql/dialect.ts";
import {
  CHANGELOG_COLUMNS,
  type Kind,
  type LogColumn,
  type LogTables,
  logTables,
  RUN_COLUMNS,
  SNAPSHOT_COLUMNS,
  SNAPSHOT_STAGE_COLUMNS,
  type StageTables,
  stageTables,
} from "./tables.ts";

/**
 * The SQL of one run's log load, for one warehouse. Rows are bulk-loaded as text into staging
 * tables of the run's own; one transaction then replaces whatever an earlier attempt of the
 * same run wrote (by run id, and by key for the snapshot), so a retried load leaves exactly
 * one copy, and readers see all of a run's rows or none.
 */
export class LogStatements {
  readonly tables: LogTables;
  readonly stages: StageTables;
  private readonly d: Dialect;
  private readonly runId: string;
  private readonly sync: string;
  /**
   * Tables and columns are created under the names the warehouse stores unquoted ones as
   * (upper case on Snowflake), so that `SELECT run_id FROM logs.sync_runs` finds them.
   */
  private readonly fold: (name: string) => string;

  constructor(dialect: Dialect, schema: string, run: { id: string; sync: string }) {
    this.d = dialect;
    this.runId = run.id;
    this.sync = run.sync;
    this.fold = (name) => dialect.storedName(name);
    const fold = (ref: TableRef): TableRef => ({ schema: this.fold(ref.schema), name: this.fold(ref.name) });
    const tables = logTables(schema);
    const stages = stageTables(schema, run.id);
    this.tables = { runs: fold(tables.runs), changelog: fold(tables.changelog), snapshot: fold(tables.snapshot) };
    this.stages = {
      runs: fold(stages.runs),
      changelog: fold(stages.changelog),
      snapshot: fold(stages.snapshot),
      merged: fold(stages.merged),
    };
  }

  /** The columns' names as created (for the driver's bulk load). */
  columnNames(columns: readonly LogColumn[]): string[] {
    return columns.map(([name]) => this.fold(name));
  }

  createSchema(): string {
    return this.d.createSchema(this.tables.runs.schema);
  }

  createTables(): string[] {
    return [
      this.create(this.tables.runs, RUN_COLUMNS),
      this.create(this.tables.changelog, CHANGELOG_COLUMNS),
      this.create(this.tables.snapshot, SNAPSHOT_COLUMNS),
    ];
  }

  /** Fresh staging tables (an earlier attempt's are dropped first). */
  prepareStages(): string[] {
    const { runs, changelog, snapshot, merged } = this.stages;
    return [
      ...this.dropStages(),
      this.create(runs, RUN_COLUMNS, true),
      this.create(changelog, CHANGELOG_COLUMNS, true),
      this.create(snapshot, SNAPSHOT_STAGE_COLUMNS, true),
      this.create(merged, SNAPSHOT_COLUMNS),
    ];
  }

  dropStages(): string[] {
    return Object.values(this.stages).map((ref: TableRef) => `DROP TABLE IF EXISTS ${this.d.table(ref)}`);
  }

  /**
   * The run's snapshot rows merged with what the warehouse holds (staging only, so outside the
   * transaction): the last row per key; the remote id and last success kept when this run has
   * none; first_failed_at cleared once a record succeeds. A row already newer in the warehouse
   * (a later run's) is left alone.
   */
  mergeSnapshot(): string {
    const s = (name: string) => `s.${this.q(name)}`;
    const t = (name: string) => `t.${this.q(name)}`;
    const ts = (name: string) => this.cast(s(name), "ts");
    const seq = (alias: string) => this.cast(`${alias}.${this.q("seq")}`, "int");
    const values = [
      s("sync"),
      s("key"),
      s("last_operation"),
      s("last_outcome"),
      s("code"),
      s("reason"),
      `COALESCE(${s("remote_id")}, ${t("remote_id")})`,
      this.cast(s("attempts"), "int"),
      s("last_run_id"),
      ts("updated_at"),
      `COALESCE(${ts("last_success_at")}, ${t("last_success_at")})`,
      `CASE WHEN ${s("last_outcome")} = 'ok' THEN NULL ELSE COALESCE(${ts("first_failed_at")}, ${t("first_failed_at")}) END`,
    ];
    const stage = this.d.table(this.stages.snapshot);
    const key = this.q("key");
    return `INSERT INTO ${this.d.table(this.stages.merged)} (${this.names(SNAPSHOT_COLUMNS)})
SELECT ${values.join(", ")}
FROM ${stage} s LEFT JOIN ${this.d.table(this.tables.snapshot)} t ON ${t("sync")} = ${s("sync")} AND ${t("key")} = ${s("key")}
WHERE NOT EXISTS (SELECT 1 FROM ${stage} s2 WHERE s2.${key} = ${s("key")} AND ${seq("s2")} > ${seq("s")})
  AND (${t("updated_at")} IS NULL OR ${t("updated_at")} <= ${ts("updated_at")})`;
  }

  /** The load itself, in one transaction: replace this run's rows and the merged snapshot rows. */
  commit(): string[] {
    const { runs, changelog, snapshot } = this.tables;
    const byRun = `WHERE ${this.q("run_id")} = ${this.d.literal(this.runId)}`;
    const key = this.q("key");
    const merged = this.d.table(this.stages.merged);
    return this.d.transaction([
      `DELETE FROM ${this.d.table(runs)} ${byRun}`,
      `DELETE FROM ${this.d.table(changelog)} ${byRun}`,
      this.copyCast(this.stages.changelog, changelog, CHANGELOG_COLUMNS),
      `DELETE FROM ${this.d.table(snapshot)} WHERE ${this.q("sync")} = ${this.d.literal(this.sync)} AND ${key} IN (SELECT ${key} FROM ${merged})`,
      `INSERT INTO ${this.d.table(snapshot)} (${this.names(SNAPSHOT_COLUMNS)}) SELECT ${this.names(SNAPSHOT_COLUMNS)} FROM ${merged}`,
      this.copyCast(this.stages.runs, runs, RUN_COLUMNS),
    ]);
  }

  /** A multi-row INSERT of text values (for drivers without a bulk load). */
  insert(ref: TableRef, columns: readonly LogColumn[], rows: ReadonlyArray<ReadonlyArray<string | null>>): string {
    const tuples = rows.map((row) => `(${columns.map((_, i) => this.d.literal(row[i] ?? null)).join(", ")})`);
    return `INSERT INTO ${this.d.table(ref)} (${this.names(columns)}) VALUES ${tuples.join(", ")}`;
  }

  private copyCast(from: TableRef, to: TableRef, columns: readonly LogColumn[]): string {
    const values = columns.map(([name, kind]) => this.cast(this.q(name), kind));
    return `INSERT INTO ${this.d.table(to)} (${this.names(columns)}) SELECT ${values.join(", ")} FROM ${this.d.table(from)}`;
  }

  private q(name: string): string {
    return this.d.quoteIdent(this.fold(name));
  }

  private cast(expr: string, kind: Kind): string {
    return kind === "text" ? expr : `CAST(${expr} AS ${this.type(kind)})`;
  }

  private type(kind: Kind): string {
    return kind === "text" ? this.d.textType : kind === "int" ? this.d.integerType : "TIMESTAMP";
  }

  private names(columns: readonly LogColumn[]): string {
    return columns.map(([name]) => this.q(name)).join(", ");
  }

  private create(ref: TableRef, columns: readonly LogColumn[], allText = false): string {
    return this.d.createTable(
      ref,
      columns.map(([name, kind]) => [this.fold(name), true, false, allText ? undefined : this.type(kind)] as const),
    );
  }
}
