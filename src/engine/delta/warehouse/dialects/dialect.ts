import type { Model, TableRef, WarehouseDialect } from "../../../../sdk/source.ts";

/**
 * What differs between warehouses in the SQL Syncline generates for warehouse-side change
 * data capture. Drivers only execute; everything here is text generation, testable without a
 * connection (the split drizzle-orm makes between dialects and drivers).
 */
export interface Dialect {
  readonly name: WarehouseDialect;
  /** The type of Syncline's text columns. */
  readonly textType: string;
  quoteIdent(name: string): string;
  /** A string literal (or NULL). */
  literal(value: string | null): string;
  table(ref: TableRef): string;
  /** The model as a relation: `(sql)` or a quoted table name. */
  relation(model: Model): string;
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
  /** Column definitions: [name, nullable, primary key]. */
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

/** Defaults shared by the dialects (ANSI SQL with double-quoted identifiers). */
export abstract class SqlDialect implements Dialect {
  abstract readonly name: WarehouseDialect;
  readonly textType: string = "VARCHAR";
  readonly integerType: string = "BIGINT";

  quoteIdent(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  literal(value: string | null): string {
    return value === null ? "NULL" : `'${value.replaceAll("'", "''")}'`;
  }

  table(ref: TableRef): string {
    return `${this.quoteIdent(ref.schema)}.${this.quoteIdent(ref.name)}`;
  }

  relation(model: Model): string {
    if (model.kind === "sql") return `(${model.sql.trim().replace(/;\s*$/, "")})`;
    const { database, schema, name } = model.relation;
    return [database, schema, name]
      .filter((part): part is string => part !== undefined && part !== "")
      .map((part) => this.quoteIdent(part))
      .join(".");
  }

  toText(expr: string): string {
    return `CAST(${expr} AS ${this.textType})`;
  }

  valueText(expr: string, type: string | undefined): string {
    const text = this.toText(expr);
    return type !== undefined && this.safeType(type) ? text : this.jsonText(text);
  }

  safeType(_type: string): boolean {
    return false;
  }

  joinSeparated(parts: string[]): string {
    return `CONCAT_WS(CHR(31), ${parts.join(", ")})`;
  }

  keyText(expr: string): string {
    return this.toText(expr);
  }

  abstract jsonText(expr: string): string;

  md5(expr: string): string {
    return `MD5(${expr})`;
  }

  sessionSetup(): string[] {
    return [];
  }

  transaction(statements: string[]): string[] {
    return ["BEGIN TRANSACTION", ...statements, "COMMIT"];
  }

  createSchema(schema: string): string {
    return `CREATE SCHEMA IF NOT EXISTS ${this.quoteIdent(schema)}`;
  }

  createTable(ref: TableRef, columns: ReadonlyArray<Column>): string {
    const defs = columns.map(
      ([name, nullable, primary, type]) =>
        `${this.quoteIdent(name)} ${type ?? this.textType}${nullable ? "" : " NOT NULL"}${primary ? " PRIMARY KEY" : ""}`,
    );
    return `CREATE TABLE IF NOT EXISTS ${this.table(ref)} (${defs.join(", ")})`;
  }

  integerKey(_type: string): boolean {
    return false;
  }

  integerOf(_text: string): string {
    return "NULL";
  }

  deleteAll(ref: TableRef): string {
    return `DELETE FROM ${this.table(ref)} WHERE 1 = 1`;
  }
}
