import { type DuckDBType, DuckDBTypeId } from "@duckdb/node-api";
import { quote } from "syncline/sdk/testing";

/** A result column as BigQuery's REST API describes it (TableFieldSchema). */
export interface TableField {
  name: string;
  type: string;
  mode: "NULLABLE" | "REPEATED";
  fields?: TableField[];
}

/** A cell as the REST API sends it: `{v: "text"}`, `{v: {f: [...]}}` for a RECORD, `{v: [{v}…]}` when REPEATED. */
export type Cell = { v: CellValue };
export type CellValue = string | null | { f: Cell[] } | Cell[];

export interface ColumnEncoding {
  field: TableField;
  /** SQL rendering the column as text (scalars) or JSON text (nested values). */
  expression: string;
  /** Turns the text into the REST cell value. */
  finish: (text: string | null) => CellValue;
}

const INT64 = new Set<number>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
]);

/** BigQuery's type for a DuckDB type (STRUCT → RECORD, LIST → REPEATED of the element type). */
export function fieldFor(name: string, type: DuckDBType): TableField {
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    return { ...fieldFor(name, type.valueType), mode: "REPEATED" };
  }
  if (type.typeId === DuckDBTypeId.STRUCT) {
    return {
      name,
      type: "RECORD",
      mode: "NULLABLE",
      fields: type.entryNames.map((entry, i) => fieldFor(entry, type.entryTypes[i]!)),
    };
  }
  return { name, type: scalarType(type), mode: "NULLABLE" };
}

function scalarType(type: DuckDBType): string {
  if (type.alias === "JSON") return "JSON";
  if (INT64.has(type.typeId)) return "INTEGER";
  switch (type.typeId) {
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return "BIGNUMERIC";
    case DuckDBTypeId.DECIMAL:
      return type.scale <= 9 && type.width - type.scale <= 29 ? "NUMERIC" : "BIGNUMERIC";
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return "FLOAT";
    case DuckDBTypeId.BOOLEAN:
      return "BOOLEAN";
    case DuckDBTypeId.BLOB:
      return "BYTES";
    case DuckDBTypeId.DATE:
      return "DATE";
    case DuckDBTypeId.TIMESTAMP:
      return "DATETIME";
    case DuckDBTypeId.TIMESTAMP_TZ:
      return "TIMESTAMP";
    case DuckDBTypeId.TIME:
      return "TIME";
    case DuckDBTypeId.MAP:
      return "JSON";
    default:
      return "STRING";
  }
}

/**
 * How a column's values go over the wire, as BigQuery's REST API writes them: every scalar
 * as a string, BOOL as "true"/"false", FLOAT with "NaN"/"Infinity", BYTES in base64, DATETIME
 * as "YYYY-MM-DDTHH:MM:SS.ffffff", TIMESTAMP as epoch microseconds (formatOptions.useInt64Timestamp)
 * or float seconds, NUMERIC normalised ("1.5"), a NULL array as an empty array.
 */
export function encodeColumn(name: string, type: DuckDBType, int64Timestamps: boolean): ColumnEncoding {
  const field = fieldFor(name, type);
  const c = quote(name);
  if (field.mode === "REPEATED" || field.type === "RECORD") {
    return {
      field,
      expression: `to_json(${c})`,
      finish: (text) => nested(field, text === null ? null : JSON.parse(text)),
    };
  }
  const plain = (expression: string, finish: (text: string) => string = (text) => text): ColumnEncoding => ({
    field,
    expression,
    finish: (text) => (text === null ? null : finish(text)),
  });
  switch (field.type) {
    case "BOOLEAN":
      return plain(`CASE WHEN ${c} THEN 'true' WHEN NOT ${c} THEN 'false' END`);
    case "FLOAT":
      return plain(
        `CASE WHEN isnan(${c}) THEN 'NaN' WHEN ${c} = 'infinity'::DOUBLE THEN 'Infinity' WHEN ${c} = '-infinity'::DOUBLE THEN '-Infinity' ELSE ${c}::DOUBLE::VARCHAR END`,
      );
    case "NUMERIC":
    case "BIGNUMERIC":
      return plain(c, (text) => (text.includes(".") ? text.replace(/\.?0+$/, "") : text));
    case "BYTES":
      return plain(`base64(${c})`);
    case "DATETIME":
      return plain(`strftime(${c}, '%Y-%m-%dT%H:%M:%S.%f')`);
    case "TIMESTAMP":
      return int64Timestamps
        ? plain(`epoch_us(${c})`)
        : plain(`epoch_us(${c})`, (text) => (Number(BigInt(text)) / 1e6).toExponential().toUpperCase());
    default:
      return plain(c);
  }
}

/** A nested value (from DuckDB's to_json) in REST form, following the field's schema. */
function nested(field: TableField, value: unknown): CellValue {
  if (field.mode === "REPEATED") {
    const items = Array.isArray(value) ? value : [];
    return items.map((item) => ({ v: nested({ ...field, mode: "NULLABLE" }, item) }));
  }
  if (value === null || value === undefined) return null;
  if (field.type === "RECORD") {
    const record = value as Record<string, unknown>;
    return { f: (field.fields ?? []).map((sub) => ({ v: nested(sub, record[sub.name]) })) };
  }
  if (field.type === "JSON") return JSON.stringify(value);
  return String(value);
}
