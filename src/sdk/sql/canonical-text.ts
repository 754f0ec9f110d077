/**
 * Canonical JSON text (values.ts) built from SQL functions that Snowflake and BigQuery share
 * (CONCAT, REPLACE, RTRIM, LIKE, SUBSTR), for their dialects' ordered read. The rule that keeps
 * it safe, as in postgres-canonical.ts: each expression yields exactly the engine's JSON text
 * for the value, or a text holding a raw control character (`mark`), which no JSON text ever
 * contains, so that row's hash never matches and the engine hashes the row itself.
 */
export interface CanonicalFunctions {
  /** A one-character string of this code point. */
  chr(code: number): string;
  /** A value as the warehouse's text type. */
  text(expr: string): string;
  /** A text as a 64-bit float, NULL when it is none (TRY_CAST, SAFE_CAST). */
  toDouble(text: string): string;
  /** Whether a float is NaN. */
  isNan(expr: string): string;
}

export const SAFE_INTEGER = "9007199254740991";
/** The largest finite double: beyond it only ±infinity (no text of infinity is cast, its spelling varies). */
const MAX_DOUBLE = "1.7976931348623157e308";

/** What a value is replaced with when its text cannot be the engine's. */
export function mark(f: CanonicalFunctions): string {
  return f.chr(1);
}

export function quoted(text: string): string {
  return `concat('"', ${text}, '"')`;
}

/**
 * A string as JSON.stringify writes it: backslash, quote, newline, carriage return and tab
 * escaped. Backslashes come from chr(92), never from a literal, so no literal escaping rule of
 * the warehouse matters. Any other control character stays raw, which no JSON text holds: such
 * rare strings never match (the engine hashes their rows).
 */
export function jsonString(expr: string, f: CanonicalFunctions): string {
  const slash = f.chr(92);
  const escapes: Array<[string, string]> = [
    [slash, `concat(${slash}, ${slash})`],
    [`'"'`, `concat(${slash}, '"')`],
    [f.chr(10), `concat(${slash}, 'n')`],
    [f.chr(13), `concat(${slash}, 'r')`],
    [f.chr(9), `concat(${slash}, 't')`],
  ];
  let out = expr;
  for (const [from, to] of escapes) out = `REPLACE(${out}, ${from}, ${to})`;
  return quoted(out);
}

/** Integers beyond 2^53 are canonical strings of digits. */
export function integerJson(expr: string, f: CanonicalFunctions): string {
  const text = f.text(expr);
  return `CASE WHEN ${expr} BETWEEN -${SAFE_INTEGER} AND ${SAFE_INTEGER} THEN ${text} ELSE ${quoted(text)} END`;
}

/** A decimal's text without trailing fraction zeros ("1.50" → "1.5", "2.00" → "2"). */
export function decimalText(expr: string, f: CanonicalFunctions): string {
  const text = f.text(expr);
  return `CASE WHEN ${text} LIKE '%.%' THEN RTRIM(RTRIM(${text}, '0'), '.') ELSE ${text} END`;
}

/**
 * A float as JavaScript writes it, where the warehouse's text of it is JavaScript's: the text
 * must read back as the same float (so it can be no other number's text), with no exponent
 * (warehouses write exponents differently) and an integral ".0" dropped. Otherwise the mark.
 */
export function floatJson(expr: string, f: CanonicalFunctions): string {
  const text = f.text(expr);
  return `CASE WHEN ${f.isNan(expr)} THEN '"NaN"'
    WHEN ${expr} > ${MAX_DOUBLE} THEN '"Infinity"' WHEN ${expr} < -${MAX_DOUBLE} THEN '"-Infinity"'
    WHEN ${expr} = 0 THEN '0'
    WHEN LOWER(${text}) LIKE '%e%' OR ${f.toDouble(text)} IS NULL OR ${f.toDouble(text)} <> ${expr} THEN ${mark(f)}
    WHEN ${text} LIKE '%.0' THEN SUBSTR(${text}, 1, LENGTH(${text}) - 2) ELSE ${text} END`;
}

/** JSON of a boolean (its NULL is the caller's). */
export function booleanJson(expr: string): string {
  return `CASE WHEN ${expr} THEN 'true' ELSE 'false' END`;
}

/** A boolean key's text; NULL stays NULL (a key's text must). */
export function booleanKey(expr: string): string {
  return `CASE WHEN ${expr} THEN 'true' WHEN NOT ${expr} THEN 'false' END`;
}

/**
 * An ISO-8601 timestamp text with nine (or six) fraction digits, trailing fraction zeros
 * dropped, with "Z", between `quote`s, when `inRange` (years the engine writes with four
 * digits); otherwise the mark.
 */
export function timestampText(inRange: string, iso: string, f: CanonicalFunctions, quote: string): string {
  return `CASE WHEN ${inRange} THEN concat('${quote}', RTRIM(RTRIM(${iso}, '0'), '.'), 'Z${quote}') ELSE ${mark(f)} END`;
}
