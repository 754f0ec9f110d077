import * as canonical from "./canonical-text.ts";

/**
 * Snowflake SQL rendering a column's value as the text of its canonical JSON (canonical-text.ts
 * says why it is safe), exactly as the snowflake plugin converts the value (plugins/snowflake/
 * types.ts). Types are named as that plugin reports them: NUMBER(p,s), REAL, TEXT, BOOLEAN,
 * DATE, TIMESTAMP_NTZ/LTZ/TZ. Dates and timestamps are written with TO_CHAR and an explicit
 * format, never by CAST, whose text follows the session's output formats. Types without an
 * expression here (TIME, BINARY, VARIANT …) make the model unsupported (the engine uses `read`).
 */
const F: canonical.CanonicalFunctions = {
  chr: (code) => `CHR(${code})`,
  text: (expr) => `CAST(${expr} AS VARCHAR)`,
  toDouble: (text) => `TRY_CAST(${text} AS DOUBLE)`,
  // Snowflake (unlike IEEE 754) holds NaN equal to NaN.
  isNan: (expr) => `${expr} = TRY_CAST('NaN' AS DOUBLE)`,
};
const NUMBER = /^NUMBER\(\d+,(\d+)\)$/;
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.FF9'`;

export function snowflakeJsonText(column: string, type: string): string | undefined {
  if (type === "TEXT") return canonical.jsonString(column, F);
  const number = NUMBER.exec(type);
  if (number)
    return number[1] === "0" ? canonical.integerJson(column, F) : canonical.quoted(canonical.decimalText(column, F));
  if (type === "REAL") return canonical.floatJson(column, F);
  if (type === "BOOLEAN") return canonical.booleanJson(column);
  return dateTimeText(column, type, '"');
}

/** The canonical key text of one key column (what the engine's keyOf gives), for ordering. */
export function snowflakeKeyText(column: string, type: string): string | undefined {
  // A column's own collation (case-insensitive, say) would also match other keys in the rows query.
  if (type === "TEXT") return `COLLATE(${column}, 'utf8')`;
  const number = NUMBER.exec(type);
  if (number) return number[1] === "0" ? F.text(column) : canonical.decimalText(column, F);
  if (type === "BOOLEAN") return canonical.booleanKey(column);
  return dateTimeText(column, type, "");
}

/** Dates as YYYY-MM-DD, timestamps as UTC ISO-8601 (the plugin reads TIMESTAMP_NTZ as UTC). */
function dateTimeText(column: string, type: string, quote: string): string | undefined {
  if (type === "DATE") {
    return `CASE WHEN YEAR(${column}) BETWEEN 1 AND 9999 THEN concat('${quote}', TO_CHAR(${column}, 'YYYY-MM-DD'), '${quote}') ELSE ${F.chr(1)} END`;
  }
  const utc =
    type === "TIMESTAMP_NTZ"
      ? column
      : type === "TIMESTAMP_TZ" || type === "TIMESTAMP_LTZ"
        ? `CONVERT_TIMEZONE('UTC', ${column})`
        : undefined;
  if (utc === undefined) return undefined;
  return canonical.timestampText(`YEAR(${utc}) BETWEEN 1 AND 9999`, `TO_CHAR(${utc}, ${ISO})`, F, quote);
}
