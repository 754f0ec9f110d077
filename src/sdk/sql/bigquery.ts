import type { TableRef } from "../source.ts";
import { BaseDialect } from "./base.ts";
import { bigqueryJsonText, bigqueryKeyText } from "./bigquery-canonical.ts";
import type { Column } from "./dialect.ts";

/**
 * BigQuery (GoogleSQL): backtick identifiers, STRING, TO_JSON_STRING as the text of any value
 * (deterministic for every type, timestamps in UTC), MD5 returning bytes. No PRIMARY KEY
 * (not enforced there).
 */
export class BigQueryDialect extends BaseDialect {
  readonly name = "bigquery";
  override readonly textType = "STRING";
  override readonly integerType = "INT64";

  override quoteIdent(name: string): string {
    return `\`${name.replaceAll("\\", "\\\\").replaceAll("`", "\\`")}\``;
  }

  override literal(value: string | null): string {
    if (value === null) return "NULL";
    const escaped = value
      .replaceAll("\\", "\\\\")
      .replaceAll("'", "\\'")
      .replaceAll("\n", "\\n")
      .replaceAll("\r", "\\r");
    return `'${escaped}'`;
  }

  /** TO_JSON_STRING writes every type as JSON: never empty, control characters escaped. */
  override valueText(expr: string): string {
    return `TO_JSON_STRING(${expr})`;
  }

  override joinSeparated(parts: string[]): string {
    return `ARRAY_TO_STRING([${parts.join(", ")}], CODE_POINTS_TO_STRING([31]))`;
  }

  jsonText(expr: string): string {
    return `TO_JSON_STRING(${expr})`;
  }

  override md5(expr: string): string {
    return `TO_HEX(MD5(${expr}))`;
  }

  override canonicalJson(expr: string, type: string): string | undefined {
    return bigqueryJsonText(expr, type);
  }

  override canonicalKey(expr: string, type: string): string | undefined {
    return bigqueryKeyText(expr, type);
  }

  /** The key's UTF-8 bytes: the engine's key order. */
  override byteOrder(expr: string): string {
    return `CAST(${expr} AS BYTES)`;
  }

  override transaction(statements: string[]): string[] {
    return ["BEGIN TRANSACTION", ...statements, "COMMIT TRANSACTION"];
  }

  override createTable(ref: TableRef, columns: ReadonlyArray<Column>): string {
    return super.createTable(
      ref,
      columns.map(([name, nullable, , type]) => [name, nullable, false, type] as const),
    );
  }
}
