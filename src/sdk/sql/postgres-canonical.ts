/**
 * Postgres SQL that renders a column's value as the text of its canonical JSON, exactly as the
 * postgres plugin turns the value's wire text into a canonical value (plugins/postgres/types.ts)
 * and the engine writes it (JSON.stringify). Types are named as that plugin reports them.
 *
 * The rule that keeps this safe: each expression yields either exactly the engine's JSON text
 * for the value, or a text holding a raw chr(1) (Postgres text cannot hold NUL), which no JSON
 * text ever contains (JSON escapes every control character), so its row's hash never matches.
 * Every rendering here is read from the value itself or from its text in the session that also
 * serves `rows()`, so session settings (extra_float_digits, DateStyle) shape both alike; the
 * reader still declines sessions whose DateStyle is not ISO (timestamps are rendered as UTC
 * ISO-8601, which is what the plugin makes of ISO text only). Needs Postgres 13 (trim_scale).
 * Types without an expression here make the model unsupported (the engine uses `read`).
 */
const MARK = "chr(1)";
const SAFE_INTEGER = "9007199254740991";
/** Instants whose text in any session time zone has a four-digit year of our era, which the plugin parses. */
const FIRST = "'0002-01-01 00:00:00+00'";
const LAST = "'9998-12-31 23:59:59.999999+00'";
/** Types whose wire text the plugin keeps as a string: their JSON is the text's. */
const TEXT_TYPES = new Set(["text", "character varying", "uuid", "date", "time", "timetz", "interval"]);

export function postgresJsonText(column: string, type: string): string | undefined {
  if (type === "text" || type === "character varying" || type === "character") return `to_json(${column})::text`;
  if (TEXT_TYPES.has(type)) return `to_json(${column}::text)::text`;
  if (type === "boolean") return booleanText(column);
  if (type === "smallint" || type === "integer" || type === "oid") return `${column}::text`;
  if (type === "bigint") return integerJson(column);
  if (type === "numeric") {
    // Scale 0 is an integer; a decimal drops its trailing zeros; NaN and ±Infinity stay text.
    return `CASE WHEN scale(${column}) = 0 THEN ${integerJson(column)}
      WHEN scale(${column}) > 0 THEN concat('"', trim_scale(${column}), '"') ELSE to_json(${column}::text)::text END`;
  }
  if (type === "real" || type === "double precision") return floatJson(column);
  if (type === "timestamp") return timestampText(column, column, '"');
  if (type === "timestamptz") return timestampText(column, `(${column} AT TIME ZONE 'UTC')`, '"');
  return undefined;
}

/** The canonical key text of one key column (what the engine's keyOf gives), for ordering. */
export function postgresKeyText(column: string, type: string): string | undefined {
  if (type === "text" || type === "character varying") return column;
  if (type === "smallint" || type === "integer" || type === "bigint" || type === "oid") return `${column}::text`;
  if (type === "uuid" || type === "date") return `${column}::text`;
  if (type === "boolean") return booleanText(column);
  if (type === "numeric")
    return `CASE WHEN scale(${column}) > 0 THEN trim_scale(${column})::text ELSE ${column}::text END`;
  if (type === "timestamp") return timestampText(column, column);
  if (type === "timestamptz") return timestampText(column, `(${column} AT TIME ZONE 'UTC')`);
  return undefined;
}

/** NULL stays NULL (a key's text must). */
function booleanText(column: string): string {
  return `CASE WHEN ${column} THEN 'true' WHEN NOT ${column} THEN 'false' END`;
}

/** Integers beyond 2^53 are canonical strings of digits. */
function integerJson(column: string): string {
  return `CASE WHEN ${column} BETWEEN -${SAFE_INTEGER} AND ${SAFE_INTEGER} THEN ${column}::text ELSE concat('"', ${column}, '"') END`;
}

/**
 * A float's text in this session written as JavaScript writes a number: plain from exponent
 * -6 to 20 (numeric's text of the same digits), else `1e+300`, `1.5e-7` (no exponent zeros).
 * The digits are the session's: where they are JavaScript's shortest ones for the number the
 * text reads back as (always with extra_float_digits 1, the default), the text is the engine's;
 * where not, it is JavaScript's text of no number at all, so it matches nothing (costs time).
 */
function floatJson(column: string): string {
  const text = `${column}::text`;
  return `CASE WHEN ${text} IN ('NaN', 'Infinity', '-Infinity') THEN concat('"', ${text}, '"')
    WHEN ${text} = '-0' THEN '0'
    WHEN strpos(${text}, 'e') = 0 THEN ${text}
    WHEN split_part(${text}, 'e', 2)::int BETWEEN -6 AND 20 THEN ${text}::numeric::text
    ELSE regexp_replace(${text}, 'e([+-])0*', 'e\\1') END`;
}

/**
 * UTC ISO-8601 with trailing fraction zeros dropped (the plugin reads a timestamp without zone
 * as UTC), between `quote`s; ±infinity as its text (which the plugin keeps); outside the years
 * it parses, the value's own text after a mark.
 */
function timestampText(column: string, utc: string, quote = ""): string {
  return `CASE WHEN NOT isfinite(${column}) THEN ${quote ? `to_json(${column}::text)::text` : `${column}::text`}
    WHEN ${column} BETWEEN ${FIRST} AND ${LAST}
    THEN concat('${quote}', rtrim(rtrim(to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.US'), '0'), '.'), 'Z${quote}')
    WHEN ${column} IS NOT NULL THEN concat(${MARK}, ${column}::text) END`;
}
