/** A statement Snowflake refuses with its own error code (not one of DuckDB's errors). */
export class FakeStatementError extends Error {
  readonly code: string;
  readonly sqlState: string;

  constructor(code: string, sqlState: string, message: string) {
    super(message);
    this.code = code;
    this.sqlState = sqlState;
  }
}

/**
 * Snowflake's table functions and collation that the ordered read uses, made runnable on
 * DuckDB. RESULT_SCAN('<query id>') reads a finished query's stored result, only the same
 * user's, as Snowflake keeps it (the fake keeps every result as a table); FLATTEN(INPUT =>
 * PARSE_JSON('<array of strings>')) unnests the array into its VALUE column; COLLATE(x, 'utf8')
 * compares by code point, which is DuckDB's own order of text.
 */
export function translateFunctions(sql: string, resultTable: (queryId: string) => string | undefined): string {
  return sql
    .replace(/TABLE\(RESULT_SCAN\('([^']*)'\)\)/gi, (_, id: string) => {
      const table = resultTable(id);
      if (!table) throw new FakeStatementError("000709", "02000", `Statement ${id} not found`);
      return table;
    })
    .replace(
      /TABLE\(FLATTEN\(INPUT => PARSE_JSON\(('(?:[^']|'')*')\)\)\)/gi,
      `(SELECT unnest(from_json($1, '["VARCHAR"]')) AS value)`,
    )
    .replace(/COLLATE\(([^(),]+), 'utf8'\)/gi, "$1");
}

/**
 * Snowflake functions DuckDB lacks, as DuckDB macros. TO_CHAR takes the Snowflake format
 * elements the ordered read writes (YYYY MM DD HH24 MI SS FF9 and a quoted "T"); the 2-argument
 * CONVERT_TIMEZONE gives the instant's wall clock in the target zone.
 */
export const FUNCTION_MACROS = `CREATE MACRO to_variant(x) AS x;
  CREATE MACRO to_char(x, f) AS strftime(x, replace(replace(replace(replace(replace(replace(replace(replace(f,
    'FF9', '%n'), 'HH24', '%H'), 'YYYY', '%Y'), 'MM', '%m'), 'DD', '%d'), 'MI', '%M'), 'SS', '%S'), '"T"', 'T'));
  CREATE MACRO convert_timezone(zone, x) AS timezone(zone, x);`;
