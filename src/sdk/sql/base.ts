import type { Model, TableRef } from "../source.ts";
import type { Column, Dialect } from "./dialect.ts";

/**
 * Defaults shared by the dialects: ANSI SQL with double-quoted identifiers, `''`-escaped
 * string literals and `?` parameters. A dialect overrides what its warehouse does otherwise;
 * `jsonText` (a value as a JSON string) has no ANSI form and is always its own.
 */
export abstract class BaseDialect implements Dialect {
  abstract readonly name: string;
  readonly textType: string = "VARCHAR";
  readonly integerType: string = "BIGINT";
  readonly keepsSubqueryOrder: boolean = false;

  quoteIdent(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  storedName(name: string): string {
    return name;
  }

  literal(value: string | null): string {
    return value === null ? "NULL" : `'${value.replaceAll("'", "''")}'`;
  }

  param(_index: number): string {
    return "?";
  }

  table(ref: TableRef): string {
    return `${this.quoteIdent(ref.schema)}.${this.quoteIdent(ref.name)}`;
  }

  /** A table's parts that are given (database, schema, name), each quoted; a query in parentheses. */
  relation(model: Model): string {
    if (model.kind === "sql") return `(${model.sql.trim().replace(/;\s*$/, "")})`;
    const { database, schema, name } = model.relation;
    return [database, schema, name]
      .filter((part): part is string => part !== undefined && part !== "")
      .map((part) => this.quoteIdent(part))
      .join(".");
  }

  select(model: Model, columns: readonly string[]): string {
    return `SELECT ${columns.map((column) => this.quoteIdent(column)).join(", ")} FROM ${this.relation(model)} AS m`;
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

  rowHash(values: ReadonlyArray<{ expr: string; type: string | undefined }>): string {
    return this.md5(this.joinSeparated(values.map(({ expr, type }) => `COALESCE(${this.valueText(expr, type)}, '')`)));
  }

  /** No canonical JSON by default: a dialect that has one opens the ordered read to its sources. */
  canonicalJson(_expr: string, _type: string): string | undefined {
    return undefined;
  }

  canonicalKey(_expr: string, _type: string): string | undefined {
    return undefined;
  }

  digest(text: string): string {
    return this.md5(text);
  }

  digestHex(digest: string): string {
    return digest;
  }

  byteOrder(expr: string): string {
    return expr;
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
