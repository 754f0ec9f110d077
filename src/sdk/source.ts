import type * as v from "valibot";
import type { Logger } from "./logger.ts";
import type { OrderedRead, OrderedReadRequest } from "./ordered-read.ts";
import type { Dialect } from "./sql/dialect.ts";
import type { CanonicalRow } from "./values.ts";

/** A table in the warehouse, as the host resolved it from `table:` or `dbt:`. */
export interface Relation {
  database?: string | undefined;
  schema?: string | undefined;
  name: string;
}

export type Model = { kind: "sql"; sql: string } | { kind: "table"; relation: Relation };

export interface Column {
  name: string;
  /** The warehouse's own type name, for messages. */
  type: string;
}

export interface SourceContext<TConfig> {
  config: TConfig;
  logger: Logger;
  /** Aborted when the run is cancelled or fails: cancel the warehouse query. */
  signal: AbortSignal;
  /** Scratch space that lives as long as this source instance (pools, database handles). */
  state: Map<string, unknown>;
  /** The config file's directory: resolve relative paths in options against it. */
  baseDir: string;
}

export interface ReadOptions {
  /** Only these columns are needed (primary key and mapped columns), in this order. */
  columns: readonly string[];
}

export interface SourceDefinition<TConfig = unknown> {
  kind: "source";
  name: string;
  apiVersion: number;
  description?: string;
  config: v.GenericSchema<unknown, TConfig>;
  /** Connects and runs a trivial query; throws a SynclineError with a fix otherwise. */
  check(ctx: SourceContext<TConfig>): Promise<void>;
  /** The model's columns, without reading its rows. */
  columns(ctx: SourceContext<TConfig>, model: Model): Promise<Column[]>;
  /**
   * Streams the model's rows in chunks with canonical values (see values.ts). Memory must
   * not grow with the model: fetch from a cursor or a result stream, never all at once.
   */
  read(ctx: SourceContext<TConfig>, model: Model, options: ReadOptions): AsyncIterable<CanonicalRow[]>;
  close?(ctx: SourceContext<TConfig>): Promise<void>;
  /**
   * Optional, for speed: the model's keys ordered by their canonical text (compared as UTF-8
   * bytes, as SQLite does) with warehouse-computed hashes, then the rows that changed (see
   * ordered-read.ts). Resolves to undefined when this model cannot be read that way; the
   * engine checks the order and falls back to `read` if anything does not line up.
   */
  readOrdered?(
    ctx: SourceContext<TConfig>,
    model: Model,
    request: OrderedReadRequest,
  ): Promise<OrderedRead | undefined>;
  /** Optional: lets the engine compute the diff inside the warehouse (`diff: warehouse`). */
  warehouse?: WarehouseAccess<TConfig>;
}

/** The built-in dialects' names (syncline/sdk/sql). */
export type WarehouseDialect = "duckdb" | "postgres" | "snowflake" | "bigquery";

/** A table in the warehouse: schema (dataset) and name, quoted by the driver. */
export interface TableRef {
  schema: string;
  name: string;
}

/**
 * SQL execution for warehouse-side change data capture. The engine generates the SQL in
 * `dialect` (a built-in one by name, or the source's own `Dialect` from syncline/sdk/sql) and
 * keeps its snapshot tables in a schema it manages; the driver only runs it.
 */
export interface WarehouseAccess<TConfig> {
  dialect: WarehouseDialect | Dialect;
  /**
   * Runs statements in order on one session (so BEGIN … COMMIT in the list is one
   * transaction); on an error it rolls back what is open and throws a SynclineError.
   */
  execute(ctx: SourceContext<TConfig>, statements: readonly string[]): Promise<void>;
  /**
   * Streams one query's rows in chunks with canonical values, like `read`. `setup` runs
   * first on the same session (session settings that fix text formats).
   */
  query(
    ctx: SourceContext<TConfig>,
    sql: string,
    options?: { setup?: readonly string[] },
  ): AsyncIterable<CanonicalRow[]>;
  /** Appends rows of text values to an existing table; without it the engine uses INSERT statements. */
  bulkLoad?(
    ctx: SourceContext<TConfig>,
    table: TableRef,
    columns: readonly string[],
    rows: Iterable<ReadonlyArray<string | null>>,
  ): Promise<void>;
  /** Why this source's configuration cannot host Syncline's tables (for example a read-only file). */
  configProblem?(config: TConfig): string | undefined;
}

export function defineSource<TConfig>(
  definition: Omit<SourceDefinition<TConfig>, "kind" | "apiVersion"> & { apiVersion?: number },
): SourceDefinition<TConfig> {
  return { ...definition, kind: "source", apiVersion: definition.apiVersion ?? 1 };
}
