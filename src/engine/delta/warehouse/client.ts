import { ConfigurationError } from "../../../sdk/errors/configuration-error.ts";
import type { Logger } from "../../../sdk/logger.ts";
import type { SourceContext, WarehouseAccess } from "../../../sdk/source.ts";
import type { Dialect } from "../../../sdk/sql/dialect.ts";
import { dialectFor } from "../../../sdk/sql/dialects.ts";
import type { CanonicalRow } from "../../../sdk/values.ts";
import type { JournalRow } from "../../../state/journal-store.ts";
import { type SourceHandle, sourceContext } from "../../shared/source-handle.ts";
import type { SyncSpec } from "../../shared/sync-spec.ts";
import { tablesFor } from "./names.ts";
import { JOURNAL_LOAD_COLUMNS, Statements } from "./statements.ts";

/** SQL text per INSERT statement when the driver has no bulk load (BigQuery's limit is 1 MB). */
const INSERT_CHARS = 800_000;

/**
 * One sync's view of its warehouse: the source's SQL execution, the dialect's statements for
 * the sync's tables, and a count of the rows that left the warehouse (the delta, and nothing
 * else, is what a run should move).
 */
export class WarehouseClient {
  readonly dialect: Dialect;
  readonly statements: Statements;
  readonly schema: string;
  /** Rows streamed out of the warehouse, per query label. */
  readonly transferred = new Map<string, number>();
  private readonly access: WarehouseAccess<unknown>;
  private readonly ctx: SourceContext<unknown>;
  private readonly logger: Logger;
  private readonly source: SourceHandle;
  private readonly spec: SyncSpec;
  private typed: Statements | undefined;

  constructor(source: SourceHandle, spec: SyncSpec, logger: Logger, signal: AbortSignal, schema?: string) {
    const access = source.plugin.warehouse;
    if (!access) {
      throw new ConfigurationError(
        `sync ${spec.name}: source ${source.name} (${source.plugin.name}) cannot compute the diff in the warehouse`,
        {
          code: "warehouse_unsupported",
          path: `syncs.${spec.name}.diff`,
          fix: "use diff: local, or a source whose plugin supports warehouse mode (duckdb, postgres, snowflake, bigquery)",
        },
      );
    }
    this.access = access;
    this.logger = logger;
    this.source = source;
    this.spec = spec;
    const where = schema ?? spec.diff?.schema;
    // The config resolves a warehouse diff's schema; a switch back passes the one it was kept in.
    if (where === undefined) throw new TypeError(`sync ${spec.name}: a warehouse client needs the diff's schema`);
    this.schema = where;
    this.dialect = dialectFor(access.dialect);
    this.statements = new Statements(this.dialect, spec, tablesFor(spec.name, this.schema));
    this.ctx = sourceContext(source, logger, signal);
  }

  /** The statements with the model's column types, which choose how each mapped value is hashed. */
  async planning(): Promise<Statements> {
    if (!this.typed) {
      const columns = await this.source.plugin.columns(this.ctx, this.spec.model);
      const types = new Map(columns.map((column) => [column.name, column.type]));
      this.typed = new Statements(this.dialect, this.spec, this.statements.tables, types);
    }
    return this.typed;
  }

  execute(statements: readonly string[]): Promise<void> {
    return this.access.execute(this.ctx, statements);
  }

  /** Streams a query (with the dialect's session settings), counting the rows that come out. */
  async *query(label: string, sql: string): AsyncGenerator<CanonicalRow[]> {
    for await (const rows of this.access.query(this.ctx, sql, { setup: this.dialect.sessionSetup() })) {
      this.transferred.set(label, (this.transferred.get(label) ?? 0) + rows.length);
      yield rows;
    }
  }

  async queryAll(label: string, sql: string): Promise<CanonicalRow[]> {
    const out: CanonicalRow[] = [];
    for await (const rows of this.query(label, sql)) out.push(...rows);
    return out;
  }

  /** Creates the managed schema (if allowed; it may exist already) and the sync's tables. */
  async ensureTables(): Promise<void> {
    try {
      await this.execute([this.statements.createSchema()]);
    } catch (error) {
      this.logger.debug({ err: String(error) }, "could not create the managed schema; assuming it exists");
    }
    await this.execute(this.statements.createTables());
  }

  /** Empties the journal table and loads rows into it: the driver's bulk load, or INSERT statements. */
  async loadJournal(pages: Iterable<JournalRow[]>): Promise<number> {
    await this.execute([this.statements.clearJournal()]);
    let loaded = 0;
    if (this.access.bulkLoad) {
      const counted = (function* () {
        for (const page of pages) {
          loaded += page.length;
          yield* page;
        }
      })();
      await this.access.bulkLoad(this.ctx, this.statements.tables.journal, JOURNAL_LOAD_COLUMNS, counted);
      return loaded;
    }
    let batch: JournalRow[] = [];
    let chars = 0;
    const flush = async () => {
      if (batch.length > 0) await this.execute([this.statements.insertJournal(batch)]);
      batch = [];
      chars = 0;
    };
    for (const page of pages) {
      for (const row of page) {
        batch.push(row);
        chars += 16 + row.reduce((sum, value) => sum + (value?.length ?? 4) * 2, 0);
        if (chars >= INSERT_CHARS) await flush();
      }
      loaded += page.length;
    }
    await flush();
    return loaded;
  }
}
