import type { Model, TableRef } from "../source.ts";

/**
 * What differs between SQL warehouses in the SQL a source and Syncline's warehouse diff
 * generate: quoting, relation names, literals, and the canonical text and hash of a row.
 * Everything here is text generation, testable without a connection (the split drizzle-orm
 * makes between dialects and drivers). A source whose warehouse is not built in supplies its
 * own, usually by extending `BaseDialect`.
 */
export interface Dialect {
  /** The warehouse's name, for messages. */
  readonly name: string;
  /** The type of Syncline's text columns. */
  readonly textType: string;
  quoteIdent(name: string): string;
  /** The name under which an identifier Syncline creates is stored, so unquoted references find it. */
  storedName(name: string): string;
  /** A string literal (or NULL). */
  literal(value: string | null): string;
  /** The placeholder of the `index`th (1-based) bound parameter. */
  param(index: number): string;
  table(ref: TableRef): string;
  /** The model as a relation: `(sql)` or a quoted table name. */
  relation(model: Model): string;
  /** `SELECT` the columns (quoted, in order) from the model aliased `m`. */
  select(model: Model, columns: readonly string[]): string;
  /**
   * A value as text with a fixed format, never empty and never containing the separator
   * (chr 31): a safe type's own text, or for any other type (strings, JSON, nested) its text
   * as a JSON string. NULL stays NULL. `type` is the column's type as the source reports it.
   */
  valueText(expr: string, type: string | undefined): string;
  /** Whether a type's text can never be empty or contain control characters (numbers, dates, times …). */
  safeType(type: string): boolean;
  /** Joins texts (none NULL) with chr(31) between them. */
  joinSeparated(parts: string[]): string;
  /**
   * The canonical hash of a row in the warehouse diff: a lowercase hex md5 over the values'
   * texts (valueText, NULL as '') joined by chr(31). Each text is never empty and holds no
   * separator, so the joined text is injective. Snapshots store it: it must never change.
   */
  rowHash(values: ReadonlyArray<{ expr: string; type: string | undefined }>): string;
  /**
   * For the ordered read (ordered-digest.ts): a value's canonical JSON text (syncline/sdk
   * values.ts), exactly as the engine writes it, or a text that is no JSON (so its row's hash
   * never matches); undefined when the type has no such rendering (the model is then read
   * whole). `type` is the column's type as the source names it.
   */
  canonicalJson(expr: string, type: string): string | undefined;
  /** For the ordered read: a key column's canonical text (what `keyOf` gives), or undefined. */
  canonicalKey(expr: string, type: string): string | undefined;
  /** For the ordered read: the md5 of a text, in the form cheapest to sort beside its key. */
  digest(text: string): string;
  /**
   * A `digest` as 32 hex characters, as the source's DigestChunk reads them back: lowercase
   * md5 hex by default; DuckDB's md5_number in upper case with its bytes reversed.
   */
  digestHex(digest: string): string;
  /**
   * A text expression to ORDER BY so that texts sort as their UTF-8 bytes (the engine's key
   * order): the expression itself where the warehouse compares text so, else with a collation.
   */
  byteOrder(expr: string): string;
  /**
   * Whether rows sorted by ORDER BY in a subquery reach the outer query in that order (Postgres
   * and DuckDB keep it; Snowflake and BigQuery promise nothing). When they do, the ordered read
   * sorts the compact digest and makes its hex text after the sort; otherwise it sorts in the
   * outer query. Absent: false.
   */
  readonly keepsSubqueryOrder?: boolean;
  /** A key column as text: integers as digits, strings as themselves (the local key format). */
  keyText(expr: string): string;
  /** A key part as JSON text (`1`, `"a"`), for composite keys written as JSON arrays. */
  jsonText(expr: string): string;
  /** A lowercase hex digest of a text expression. */
  md5(expr: string): string;
  /** Casts an expression to the text type. */
  toText(expr: string): string;
  /** Statements run at the start of a query's session so that valueText is deterministic. */
  sessionSetup(): string[];
  /** Wraps statements into one atomic transaction. */
  transaction(statements: string[]): string[];
  createSchema(schema: string): string;
  /** Column definitions: [name, nullable, primary key, type]. */
  createTable(ref: TableRef, columns: ReadonlyArray<Column>): string;
  /** Whether a key column of this type joins the snapshot as an integer (cheaper than text). */
  integerKey(type: string): boolean;
  /** The snapshot's integer key column type. */
  readonly integerType: string;
  /** A key text as that integer when it is one written canonically (`42`, not `042`), else NULL. */
  integerOf(text: string): string;
  /** Deletes every row (inside a transaction, so not TRUNCATE where that commits). */
  deleteAll(ref: TableRef): string;
}

/** A column of Syncline's tables: name, nullable, primary key, and a type other than text. */
export type Column = readonly [name: string, nullable: boolean, primary: boolean, type?: string];
