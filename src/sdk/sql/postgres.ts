import { BaseDialect } from "./base.ts";
import { postgresJsonText, postgresKeyText } from "./postgres-canonical.ts";

/**
 * Postgres: text output of every type is fixed by the session settings set at the start of
 * each query's transaction (time zone, date style, float digits, bytea format).
 */
/** The type names the postgres plugin reports (plugins/postgres/types.ts) whose text is safe. */
const SAFE = new Set([
  "boolean",
  "smallint",
  "integer",
  "bigint",
  "oid",
  "real",
  "double precision",
  "numeric",
  "date",
  "time",
  "timestamp",
  "timestamptz",
  "timetz",
  "interval",
  "uuid",
]);

export class PostgresDialect extends BaseDialect {
  readonly name = "postgres";
  override readonly textType = "TEXT";
  override readonly keepsSubqueryOrder = true;

  override param(index: number): string {
    return `$${index}`;
  }

  override safeType(type: string): boolean {
    return SAFE.has(type);
  }

  override integerKey(type: string): boolean {
    return type === "smallint" || type === "integer" || type === "bigint";
  }

  override integerOf(text: string): string {
    return `CASE WHEN ${text} ~ '^(0|-?[1-9][0-9]{0,18})$' AND CAST(${text} AS NUMERIC) BETWEEN -9223372036854775808 AND 9223372036854775807 THEN CAST(${text} AS BIGINT) END`;
  }

  override canonicalJson(expr: string, type: string): string | undefined {
    return postgresJsonText(expr, type);
  }

  override canonicalKey(expr: string, type: string): string | undefined {
    return postgresKeyText(expr, type);
  }

  /** The 16 bytes, not their hex text: half the bytes to sort beside the key. */
  override digest(text: string): string {
    return `decode(md5(${text}), 'hex')`;
  }

  override digestHex(digest: string): string {
    return `encode(${digest}, 'hex')`;
  }

  /** Byte order of the UTF-8 text whatever the database's collation (the reader requires UTF8). */
  override byteOrder(expr: string): string {
    return `${expr} COLLATE "C"`;
  }

  override joinSeparated(parts: string[]): string {
    return `concat_ws(chr(31), ${parts.join(", ")})`;
  }

  jsonText(expr: string): string {
    return `CAST(to_json(${expr}) AS TEXT)`;
  }

  override md5(expr: string): string {
    return `md5(${expr})`;
  }

  override sessionSetup(): string[] {
    return [
      "SET LOCAL TimeZone = 'UTC'",
      "SET LOCAL DateStyle = 'ISO, YMD'",
      "SET LOCAL IntervalStyle = 'postgres'",
      "SET LOCAL extra_float_digits = 1",
      "SET LOCAL bytea_output = 'hex'",
    ];
  }

  override transaction(statements: string[]): string[] {
    return ["BEGIN", ...statements, "COMMIT"];
  }
}
