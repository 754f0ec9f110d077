import type { FieldType } from "../../sdk/field-types.ts";

/**
 * A model column's type (the warehouse's own name: DuckDB, Postgres, BigQuery, Snowflake) in
 * the SDK's field vocabulary, or undefined when it is not recognised (the column is then not
 * checked against the field it is mapped to).
 */
export function columnKind(warehouseType: string): FieldType | undefined {
  const type = warehouseType.trim().toLowerCase();
  if (/\[\]$|^(json|jsonb|struct|map|variant|object|array|list|union|record|geography)\b/.test(type)) return "json";
  if (/^bool/.test(type)) return "boolean";
  if (/^(number|numeric|decimal)\s*\(\s*\d+\s*(,\s*0\s*)?\)$/.test(type)) return "integer";
  if (/^(u?(tiny|small|big|huge)?int(eger)?\d*|int\d+|u?hugeint|(small|big)?serial\d?|byteint|long)\b/.test(type))
    return "integer";
  if (/^(double|float|real|decimal|numeric|number|bignumeric|money)/.test(type)) return "number";
  if (/^date$/.test(type)) return "date";
  if (/^(timestamp|datetime)/.test(type)) return "datetime";
  if (/^(varchar|char|character|text|string|bpchar|name|uuid|enum|citext|nvarchar|nchar)/.test(type)) return "string";
  return undefined;
}

export type Fit = "same" | "converted" | "incompatible";

/**
 * Whether values of a column of kind `column` reach a field of type `field`: as they are, by
 * a conversion that can still refuse some values (each such record is rejected before
 * sending), or not at all.
 */
export function compatibility(column: FieldType, field: FieldType): Fit {
  if (column === field || field === "json" || (column === "integer" && field === "number")) return "same";
  if (column === "string" || column === "json" || field === "string") return "converted";
  switch (field) {
    case "integer":
      return column === "number" ? "converted" : "incompatible";
    case "boolean":
      return column === "integer" || column === "number" ? "converted" : "incompatible";
    case "date":
    case "datetime":
      return column === "date" || column === "datetime" ? "converted" : "incompatible";
    default:
      return "incompatible";
  }
}
