import type { TableRef } from "../source.ts";
import { BaseDialect } from "./base.ts";
import type { Column } from "./dialect.ts";
import { duckdbJsonText, duckdbKeyText } from "./duckdb-canonical.ts";

/**
 * DuckDB: CAST to VARCHAR is deterministic for every type once the session time zone is
 * fixed (TIMESTAMPTZ prints in it); to_json quotes and escapes the others.
 */
const SAFE =
  /^(JSON|BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+, ?\d+\)|DATE|TIME|TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE|TIME WITH TIME ZONE|INTERVAL|UUID)$/i;

export class DuckDBDialect extends BaseDialect {
  readonly name = "duckdb";
  override readonly keepsSubqueryOrder = true;

  override safeType(type: string): boolean {
    return SAFE.test(type);
  }

  override integerKey(type: string): boolean {
    return /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/i.test(type);
  }

  override integerOf(text: string): string {
    return `CASE WHEN CAST(TRY_CAST(${text} AS BIGINT) AS VARCHAR) = ${text} THEN TRY_CAST(${text} AS BIGINT) END`;
  }

  override joinSeparated(parts: string[]): string {
    return `concat_ws(chr(31), ${parts.join(", ")})`;
  }

  override canonicalJson(expr: string, type: string): string | undefined {
    return duckdbJsonText(expr, type);
  }

  override canonicalKey(expr: string, type: string): string | undefined {
    return duckdbKeyText(expr, type);
  }

  /** A 128-bit number: sorting it beside the key moves half the bytes of its hex text. */
  override digest(text: string): string {
    return `md5_number(${text})`;
  }

  override digestHex(digest: string): string {
    return `lpad(hex(${digest}), 32, '0')`;
  }

  jsonText(expr: string): string {
    return `CAST(to_json(${expr}) AS VARCHAR)`;
  }

  override md5(expr: string): string {
    return `md5(${expr})`;
  }

  override sessionSetup(): string[] {
    return ["SET SESSION TimeZone = 'UTC'"];
  }

  /** No PRIMARY KEY: DuckDB's index would refuse a key deleted and re-inserted in one transaction. */
  override createTable(ref: TableRef, columns: ReadonlyArray<Column>): string {
    return super.createTable(
      ref,
      columns.map(([name, nullable, , type]) => [name, nullable, false, type] as const),
    );
  }
}
