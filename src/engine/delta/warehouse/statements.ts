import type { Column, Dialect } from "../../../sdk/sql/dialect.ts";
import type { SyncSpec } from "../../shared/sync-spec.ts";
import { COLUMNS, deltaSql } from "./delta-sql.ts";
import type { WarehouseTables } from "./names.ts";

export { COLUMNS };

const JOURNAL_COLUMNS = [
  ["key", false, false],
  ["hash", true, false],
  ["remote_id", true, false],
] as const;
export const JOURNAL_LOAD_COLUMNS = ["key", "hash", "remote_id"] as const;

/**
 * Every statement of warehouse-side change data capture for one sync, in one dialect.
 * Identifiers are always quoted; only the model's own SQL is passed through as written.
 */
export class Statements {
  private readonly d: Dialect;
  private readonly spec: SyncSpec;
  private readonly types: ReadonlyMap<string, string>;
  readonly tables: WarehouseTables;
  readonly snapshot: string;
  readonly journal: string;

  /** `types`: the model's column types as the source reports them (they choose each column's text). */
  constructor(
    dialect: Dialect,
    spec: SyncSpec,
    tables: WarehouseTables,
    types: ReadonlyMap<string, string> = new Map(),
  ) {
    this.d = dialect;
    this.spec = spec;
    this.types = types;
    this.tables = tables;
    this.snapshot = dialect.table(tables.snapshot);
    this.journal = dialect.table(tables.journal);
  }

  private q(name: string): string {
    return this.d.quoteIdent(name);
  }

  createSchema(): string {
    return this.d.createSchema(this.tables.snapshot.schema);
  }

  /** The snapshot has the key as text and, when the key is an integer, as one too (`k`, for a cheaper join). */
  createTables(): string[] {
    const snapshot: Column[] = [
      ["key", false, true],
      ["hash", false, false],
      ["remote_id", true, false],
      ["k", true, false, this.d.integerType],
    ];
    return [
      this.d.createTable(this.tables.snapshot, snapshot),
      this.d.createTable(this.tables.journal, JOURNAL_COLUMNS),
    ];
  }

  /**
   * The key as text, NULL when any part is NULL or empty (such rows are invalid): the value
   * itself for one column, a JSON array for a composite key — the format of local mode.
   */
  keyExpression(source: string): string {
    const parts = this.keyParts(source);
    if (parts.length === 1) return parts[0]!;
    const json = this.spec.primaryKey.map((column) => this.d.jsonText(`${source}.${this.q(column)}`));
    return `CASE WHEN ${this.keyMissing(source)} THEN NULL ELSE '[' || ${json.join(" || ',' || ")} || ']' END`;
  }

  /** True when the row has no usable key (a part is NULL or empty). */
  keyMissing(source: string): string {
    return this.spec.primaryKey
      .map((column, i) => (this.safe(column) ? `${source}.${this.q(column)}` : this.keyParts(source)[i]!))
      .map((part) => `${part} IS NULL`)
      .join(" OR ");
  }

  /** Each key column as text, NULL when NULL or empty (a safe type's text is never empty). */
  private keyParts(source: string): string[] {
    return this.spec.primaryKey.map((column) => {
      const text = this.d.keyText(`${source}.${this.q(column)}`);
      return this.safe(column) ? text : `NULLIF(${text}, '')`;
    });
  }

  private safe(column: string): boolean {
    const type = this.types.get(column);
    return type !== undefined && this.d.safeType(type);
  }

  /** The hash of the mapped fields (the dialect's canonical row hash). */
  hashExpression(source: string): string {
    return this.d.rowHash(
      this.spec.mapping.map(([, column]) => ({ expr: `${source}.${this.q(column)}`, type: this.types.get(column) })),
    );
  }

  /** Model rows and row count, rows with no usable key, and the snapshot's size. */
  stats(): string {
    const model = this.d.relation(this.spec.model);
    return `SELECT t.sl_total, t.sl_nulls, s.sl_snapshot FROM
  (SELECT COUNT(*) AS sl_total, SUM(CASE WHEN ${this.keyMissing("src")} THEN 1 ELSE 0 END) AS sl_nulls FROM ${model} AS src) AS t
  CROSS JOIN (SELECT COUNT(*) AS sl_snapshot FROM ${this.snapshot}) AS s`;
  }

  /** The delta query (delta-sql.ts). */
  delta(options: { fullResync?: boolean | undefined } = {}): string {
    return deltaSql({
      dialect: this.d,
      spec: this.spec,
      snapshot: this.snapshot,
      keyText: this.keyExpression("src"),
      keyMissing: this.keyMissing("src"),
      hash: this.hashExpression("src"),
      integer: this.integerJoin(),
      fullResync: options.fullResync,
    });
  }

  /** Whether the delta joins on the integer key column (one key column of an integer type). */
  private integerJoin(): boolean {
    const type = this.spec.primaryKey.length === 1 ? this.types.get(this.spec.primaryKey[0]!) : undefined;
    return type !== undefined && this.d.integerKey(type);
  }

  /** Keys the model holds more than once (run only when the delta cannot have shown every duplicate). */
  duplicates(): string {
    const model = this.d.relation(this.spec.model);
    return `SELECT d.${COLUMNS.key}, COUNT(*) AS sl_rows FROM (SELECT ${this.keyExpression("src")} AS ${COLUMNS.key} FROM ${model} AS src) AS d
WHERE d.${COLUMNS.key} IS NOT NULL GROUP BY d.${COLUMNS.key} HAVING COUNT(*) > 1`;
  }

  /** Empties the journal table before it is loaded (outside the commit's transaction). */
  clearJournal(): string {
    return this.d.deleteAll(this.tables.journal);
  }

  /**
   * The commit: every journaled key takes its final state — a row (accepted, in doubt, failed
   * with hash '') or none (deleted, refused, forgotten) — in one transaction.
   */
  applyJournal(): string[] {
    return this.d.transaction([
      `DELETE FROM ${this.snapshot} WHERE ${this.q("key")} IN (SELECT ${this.q("key")} FROM ${this.journal})`,
      this.insertFromJournal(),
    ]);
  }

  /** Replaces the whole snapshot with the journal's rows (seeding from local mode). */
  replaceWithJournal(): string[] {
    return this.d.transaction([this.d.deleteAll(this.tables.snapshot), this.insertFromJournal()]);
  }

  private insertFromJournal(): string {
    const cols = JOURNAL_LOAD_COLUMNS.map((c) => this.q(c)).join(", ");
    return `INSERT INTO ${this.snapshot} (${cols}, ${this.q("k")})
SELECT ${cols}, ${this.d.integerOf(this.q("key"))} FROM ${this.journal} WHERE ${this.q("hash")} IS NOT NULL`;
  }

  /** Forgets everything (the destination, object or primary key changed). */
  reset(): string[] {
    return this.d.transaction([this.d.deleteAll(this.tables.snapshot), this.d.deleteAll(this.tables.journal)]);
  }

  readSnapshot(): string {
    return `SELECT ${this.q("key")} AS ${COLUMNS.key}, ${this.q("hash")} AS ${COLUMNS.hash}, ${this.q("remote_id")} AS ${COLUMNS.remoteId} FROM ${this.snapshot}`;
  }

  /** INSERT statements with literal values, for drivers without a bulk load. */
  insertJournal(rows: ReadonlyArray<ReadonlyArray<string | null>>): string {
    const cols = JOURNAL_LOAD_COLUMNS.map((c) => this.q(c)).join(", ");
    const values = rows.map((row) => `(${row.map((v) => this.d.literal(v)).join(", ")})`);
    return `INSERT INTO ${this.journal} (${cols}) VALUES ${values.join(", ")}`;
  }
}
