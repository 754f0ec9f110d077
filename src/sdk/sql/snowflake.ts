import { BaseDialect } from "./base.ts";
import { snowflakeJsonText, snowflakeKeyText } from "./snowflake-canonical.ts";

/**
 * Snowflake: CAST to VARCHAR follows the session's output formats, so each warehouse session
 * fixes them first. String literals treat backslash as an escape, so it is escaped too.
 */
/** The type names the snowflake plugin reports whose text is safe (NUMBER(p,s) for FIXED). */
const SAFE = /^(NUMBER\(\d+,\d+\)|REAL|BOOLEAN|DATE|TIME|TIMESTAMP_NTZ|TIMESTAMP_LTZ|TIMESTAMP_TZ)$/i;

export class SnowflakeDialect extends BaseDialect {
  readonly name = "snowflake";

  /** Snowflake folds unquoted names to upper case: Syncline's tables are created so, to be found unquoted. */
  override storedName(name: string): string {
    return name.toUpperCase();
  }

  override safeType(type: string): boolean {
    return SAFE.test(type);
  }

  override literal(value: string | null): string {
    return value === null ? "NULL" : `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
  }

  jsonText(expr: string): string {
    return `CAST(TO_JSON(TO_VARIANT(${expr})) AS VARCHAR)`;
  }

  override canonicalJson(expr: string, type: string): string | undefined {
    return snowflakeJsonText(expr, type);
  }

  override canonicalKey(expr: string, type: string): string | undefined {
    return snowflakeKeyText(expr, type);
  }

  /** Snowflake compares text by code point, unless a column has a collation: 'utf8' overrides it. */
  override byteOrder(expr: string): string {
    return `COLLATE(${expr}, 'utf8')`;
  }

  override sessionSetup(): string[] {
    return [
      `ALTER SESSION SET TIMEZONE = 'UTC', TIMESTAMP_NTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9',
       TIMESTAMP_LTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM', TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM',
       DATE_OUTPUT_FORMAT = 'YYYY-MM-DD', TIME_OUTPUT_FORMAT = 'HH24:MI:SS.FF9', BINARY_OUTPUT_FORMAT = 'HEX'`,
    ];
  }
}
