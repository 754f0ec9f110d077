/**
 * DuckDB SQL that renders a column's value as the text of its canonical JSON (values.ts), so
 * DuckDB can hash rows exactly as the engine does (md5 of `{"field":value,…}`). Types are
 * named as DuckDB prints them (`DECIMAL(18,3)`, `TIMESTAMP WITH TIME ZONE`), JSON as `JSON`.
 *
 * The rule that keeps this safe: each expression yields either exactly the JSON text the
 * engine would write for the value, or a text containing a raw NUL character, which no JSON
 * text ever contains, so it never matches any snapshot hash (the engine then hashes that row
 * itself). A rendering that differs from the engine's in some other way only costs time.
 * Types without an expression here make the model unsupported (the engine uses `read`).
 */
const NUL = "chr(0)";
const SAFE_INTEGER = 9007199254740991;
/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z in epoch microseconds: four-digit years. */
const MIN_US = "-62135596800000000";
const MAX_US = "253402300799999999";
const SMALL_INTEGER = /^(TINYINT|SMALLINT|INTEGER|UTINYINT|USMALLINT|UINTEGER)$/;
const DECIMAL = /^DECIMAL\((\d+), ?(\d+)\)$/;

export function duckdbJsonText(column: string, type: string): string | undefined {
  if (type === "JSON") return `${column}::VARCHAR`; // DuckDB validates JSON; any valid text is exact
  if (type === "BOOLEAN") return `CASE WHEN ${column} THEN 'true' ELSE 'false' END`;
  if (SMALL_INTEGER.test(type)) return `${column}::VARCHAR`;
  if (type === "BIGINT" || type === "UBIGINT") return integerText(column);
  if (type === "DOUBLE") {
    // DuckDB writes the shortest text that reads back as the same double, as JavaScript does;
    // integral values are written without ".0", and from 1e-4 to 1e15 without an exponent, as
    // JavaScript writes them. JavaScript writes an exponent below 1e-6 and from 1e21 on, with
    // no leading zero in it ("1e-7" where DuckDB writes "1e-07"); between those bounds and
    // DuckDB's (1e-4, 1e15: "9.9e-05", "1000000000000000.0") the text is NUL.
    const text = `${column}::VARCHAR`;
    return `CASE WHEN isnan(${column}) THEN '"NaN"' WHEN ${column} = 'Infinity'::DOUBLE THEN '"Infinity"'
        WHEN ${column} = '-Infinity'::DOUBLE THEN '"-Infinity"'
        WHEN ${column} = trunc(${column}) AND abs(${column}) < 1e15 THEN ${column}::BIGINT::VARCHAR
        WHEN abs(${column}) >= 1e-4 AND abs(${column}) < 1e15 THEN ${text}
        WHEN (abs(${column}) >= 1e21 OR abs(${column}) < 1e-6) AND contains(${text}, 'e')
          THEN regexp_replace(${text}, 'e([+-])0', 'e\\1')
        ELSE ${NUL} END`;
  }
  const decimal = DECIMAL.exec(type);
  if (decimal) {
    // Scale 0 is an integer (values.ts): a number when safe, otherwise a string of digits.
    if (decimal[2] === "0") return integerText(column);
    return `concat('"', ${decimalText(column, Number(decimal[1]), Number(decimal[2]))}, '"')`;
  }
  if (type === "VARCHAR") return jsonString(column);
  if (type === "UUID" || type.startsWith("ENUM(")) return jsonString(`${column}::VARCHAR`);
  if (type === "DATE") {
    return `CASE WHEN year(${column}) BETWEEN 1 AND 9999 THEN concat('"', ${column}, '"') ELSE ${NUL} END`;
  }
  if (type === "TIMESTAMP" || type === "TIMESTAMP WITH TIME ZONE") return timestampText(column, '"');
  return undefined;
}

/** The canonical key text of one key column (what the engine's keyOf gives), for ordering. */
export function duckdbKeyText(column: string, type: string): string | undefined {
  if (type === "VARCHAR") return column;
  if (SMALL_INTEGER.test(type) || type === "BIGINT" || type === "UBIGINT") return `${column}::VARCHAR`;
  if (type === "UUID" || type.startsWith("ENUM(") || type === "DATE") return `${column}::VARCHAR`;
  const decimal = DECIMAL.exec(type);
  if (decimal) return decimalText(column, Number(decimal[1]), Number(decimal[2]));
  if (type === "TIMESTAMP" || type === "TIMESTAMP WITH TIME ZONE") return timestampText(column);
  return undefined;
}

/**
 * A text as a JSON string, as JSON.stringify writes it. DuckDB's to_json escapes the same
 * characters the same way but for the hex case of `\u00XX` (upper where JavaScript writes
 * lower): a text holding such an escape, or what reads like one, is NUL.
 */
function jsonString(text: string): string {
  const json = `to_json(${text})::VARCHAR`;
  return `CASE WHEN contains(${json}, '\\u00') AND regexp_matches(${json}, '\\\\u00(0[BEF]|1[A-F])')
    THEN ${NUL} ELSE ${json} END`;
}

/** Integers beyond 2^53 are canonical strings of digits. */
function integerText(column: string): string {
  return `CASE WHEN ${column} BETWEEN -${SAFE_INTEGER} AND ${SAFE_INTEGER} THEN ${column}::VARCHAR ELSE concat('"', ${column}, '"') END`;
}

/** The canonical decimal text: trailing fraction zeros dropped ("1.50" → "1.5", "2.00" → "2"). */
function decimalText(column: string, width: number, scale: number): string {
  if (scale === 0) return `${column}::VARCHAR`;
  const arms: string[] = [];
  for (let digits = 0; digits < scale; digits++) {
    arms.push(`WHEN ${column} = round(${column}, ${digits}) THEN ${column}::DECIMAL(${width},${digits})::VARCHAR`);
  }
  return `CASE ${arms.join(" ")} ELSE ${column}::VARCHAR END`;
}

/**
 * UTC ISO-8601 with trailing fraction zeros dropped, from epoch microseconds (time zone
 * independent), between `quote`s. DuckDB writes a DATE as "2024-01-02" and a TIME as
 * "03:04:05.5" (fraction already trimmed): two casts in one concat() are much cheaper than
 * replace(timestamp::VARCHAR, ' ', 'T') in a nested concat().
 */
function timestampText(column: string, quote = ""): string {
  const micros = `epoch_us(${column})`;
  const utc = `make_timestamp(${micros})`;
  return `CASE WHEN ${micros} BETWEEN ${MIN_US} AND ${MAX_US}
    THEN concat('${quote}', ${utc}::DATE::VARCHAR, 'T', ${utc}::TIME::VARCHAR, 'Z${quote}') ELSE ${NUL} END`;
}
