/**
 * GoogleSQL functions and types the ordered read's SQL uses that DuckDB lacks, as DuckDB
 * macros and type aliases. FORMAT_TIMESTAMP and FORMAT_DATETIME take the format elements the
 * read writes (%Y %m %d %H %M and %E6S, seconds with six fraction digits); a TIMESTAMP is
 * formatted in the given zone.
 */
export const ORDERED_READ_MACROS = `CREATE TYPE FLOAT64 AS DOUBLE;
  CREATE MACRO is_nan(x) AS isnan(x);
  CREATE MACRO unix_micros(x) AS epoch_us(x);
  CREATE MACRO format_timestamp(f, x, zone) AS strftime(timezone(zone, x), replace(f, '%E6S', '%S.%f'));
  CREATE MACRO format_datetime(f, x) AS strftime(x, replace(f, '%E6S', '%S.%f'));`;
