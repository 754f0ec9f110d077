import * as canonical from "./canonical-text.ts";

/**
 * GoogleSQL rendering a column's value as the text of its canonical JSON (canonical-text.ts
 * says why it is safe), exactly as the bigquery plugin converts the REST API's text of it
 * (plugins/bigquery/types.ts). Types are named as the API's schema does (INTEGER or INT64,
 * FLOAT or FLOAT64, BOOLEAN or BOOL, NUMERIC, BIGNUMERIC, STRING, DATE, DATETIME, TIMESTAMP).
 * Types without an expression here (BYTES, TIME, JSON, RECORD, arrays …) make the model
 * unsupported (the engine uses `read`).
 */
const F: canonical.CanonicalFunctions = {
  chr: (code) => `CODE_POINTS_TO_STRING([${code}])`,
  text: (expr) => `CAST(${expr} AS STRING)`,
  toDouble: (text) => `SAFE_CAST(${text} AS FLOAT64)`,
  isNan: (expr) => `IS_NAN(${expr})`,
};
/** 1000-01-01 and 9999-12-31 23:59:59.999999 UTC in epoch microseconds: four-digit years for %Y. */
const FIRST_US = "-30610224000000000";
const LAST_US = "253402300799999999";
const ISO = "'%Y-%m-%dT%H:%M:%E6S'";

export function bigqueryJsonText(column: string, type: string): string | undefined {
  if (type === "STRING") return canonical.jsonString(column, F);
  if (type === "INTEGER" || type === "INT64") return canonical.integerJson(column, F);
  if (type === "NUMERIC" || type === "BIGNUMERIC") return canonical.quoted(canonical.decimalText(column, F));
  if (type === "FLOAT" || type === "FLOAT64") return canonical.floatJson(column, F);
  if (type === "BOOLEAN" || type === "BOOL") return canonical.booleanJson(column);
  if (type === "DATE") return canonical.quoted(F.text(column));
  return timeText(column, type, '"');
}

/** The canonical key text of one key column (what the engine's keyOf gives), for ordering. */
export function bigqueryKeyText(column: string, type: string): string | undefined {
  if (type === "STRING") return column;
  if (type === "INTEGER" || type === "INT64" || type === "DATE") return F.text(column);
  if (type === "NUMERIC" || type === "BIGNUMERIC") return canonical.decimalText(column, F);
  if (type === "BOOLEAN" || type === "BOOL") return canonical.booleanKey(column);
  return timeText(column, type, "");
}

/** TIMESTAMP (an instant) and DATETIME (read as UTC by the plugin) as UTC ISO-8601. */
function timeText(column: string, type: string, quote: string): string | undefined {
  if (type === "TIMESTAMP") {
    const inRange = `UNIX_MICROS(${column}) BETWEEN ${FIRST_US} AND ${LAST_US}`;
    return canonical.timestampText(inRange, `FORMAT_TIMESTAMP(${ISO}, ${column}, 'UTC')`, F, quote);
  }
  if (type === "DATETIME") {
    return canonical.timestampText(
      `EXTRACT(YEAR FROM ${column}) >= 1000`,
      `FORMAT_DATETIME(${ISO}, ${column})`,
      F,
      quote,
    );
  }
  return undefined;
}
