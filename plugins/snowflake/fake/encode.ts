import { type DuckDBType, DuckDBTypeId } from "@duckdb/node-api";
import { quote } from "syncline/sdk/testing";

/** A column of a result as Snowflake describes it in `rowtype`. */
export interface RowType {
  name: string;
  database: string;
  schema: string;
  table: string;
  type: string;
  precision: number | null;
  scale: number | null;
  length: number | null;
  byteLength: number | null;
  nullable: boolean;
  collation: null;
}

/** How one column is described and how its values are written in the JSON result format. */
export interface ColumnEncoding {
  rowtype: RowType;
  /** SQL rendering the value as text (the page query casts it to VARCHAR). */
  expression: string;
  /** Final touch in JavaScript, for values SQL cannot format exactly. */
  finish?: (text: string) => string;
}

const INTEGER_TYPES = new Set<number>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
]);

/**
 * Snowflake's JSON result encoding (what the drivers parse): numbers as decimal text, REAL
 * as text with `inf`/`NaN`, BOOLEAN as "1"/"0", DATE as days since the epoch, TIMESTAMP_NTZ
 * as epoch seconds with 9 fraction digits, TIMESTAMP_TZ the same plus " <offset minutes + 1440>",
 * BINARY as upper-case hex, VARIANT/OBJECT/ARRAY as JSON text.
 */
export function encodeColumn(name: string, type: DuckDBType): ColumnEncoding {
  const c = quote(name);
  const base = { name, database: "", schema: "", table: "", nullable: true, collation: null } as const;
  const described = (
    sfType: string,
    extra: Partial<Pick<RowType, "precision" | "scale" | "length" | "byteLength">> = {},
  ): RowType => ({ ...base, type: sfType, precision: null, scale: null, length: null, byteLength: null, ...extra });

  if (type.alias === "JSON") return { rowtype: described("variant"), expression: c };
  if (INTEGER_TYPES.has(type.typeId))
    return { rowtype: described("fixed", { precision: 38, scale: 0 }), expression: c };
  switch (type.typeId) {
    case DuckDBTypeId.DECIMAL: {
      const { width, scale } = type as unknown as { width: number; scale: number };
      return { rowtype: described("fixed", { precision: width, scale }), expression: c };
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return {
        rowtype: described("real"),
        expression: `CASE WHEN isnan(${c}) THEN 'NaN' WHEN ${c} = 'infinity'::DOUBLE THEN 'inf' WHEN ${c} = '-infinity'::DOUBLE THEN '-inf' ELSE ${c}::DOUBLE::VARCHAR END`,
      };
    case DuckDBTypeId.BOOLEAN:
      return { rowtype: described("boolean"), expression: `${c}::INTEGER` };
    case DuckDBTypeId.DATE:
      return { rowtype: described("date"), expression: `${c} - DATE '1970-01-01'` };
    case DuckDBTypeId.TIMESTAMP:
      return {
        rowtype: described("timestamp_ntz", { precision: 0, scale: 9 }),
        expression: `epoch_us(${c})`,
        finish: epochSeconds,
      };
    case DuckDBTypeId.TIMESTAMP_TZ:
      return {
        rowtype: described("timestamp_tz", { precision: 0, scale: 9 }),
        expression: `epoch_us(${c})`,
        finish: (text) => `${epochSeconds(text)} 1440`,
      };
    case DuckDBTypeId.BLOB:
      return { rowtype: described("binary", { length: 8388608, byteLength: 8388608 }), expression: `hex(${c})` };
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      return { rowtype: described("object"), expression: `to_json(${c})` };
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return { rowtype: described("array"), expression: `to_json(${c})` };
    default:
      return { rowtype: described("text", { length: 16777216, byteLength: 16777216 }), expression: c };
  }
}

/** Epoch microseconds → seconds with 9 fraction digits ("-0.000001000" for one micro before 1970). */
function epochSeconds(microsText: string): string {
  const micros = BigInt(microsText);
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  return `${negative ? "-" : ""}${magnitude / 1_000_000n}.${String(magnitude % 1_000_000n).padStart(6, "0")}000`;
}
