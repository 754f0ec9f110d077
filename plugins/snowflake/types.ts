import {
  type CanonicalValue,
  canonicalBinary,
  canonicalDate,
  canonicalize,
  canonicalTimestamp,
  fromText,
} from "syncline/sdk";

/** The column metadata the driver gives (snowflake-sdk's Column). */
export interface SnowflakeColumn {
  getName(): string;
  getType(): string;
  getScale(): number;
  getPrecision(): number;
}

/** A column's type as the plugin names it (syncline/sdk/sql's Snowflake dialect reads these names). */
export function typeName(column: SnowflakeColumn): string {
  const type = column.getType().toUpperCase();
  return type === "FIXED" ? `NUMBER(${column.getPrecision()},${column.getScale()})` : type;
}

/** A driver timestamp: a Date carrying the exact epoch seconds and nanoseconds. */
interface SfDate extends Date {
  getEpochSeconds(): number;
  getNanoSeconds(): number;
}

export type Convert = (value: unknown) => CanonicalValue;

/**
 * One converter per column, by Snowflake type. Numbers arrive as text (fetchAsString:
 * Number): NUMBER(p,0) is an integer, other scales exact decimals, REAL a float. Timestamps
 * keep their nanoseconds on the driver's date object, so no precision is lost.
 */
export function converterFor(column: SnowflakeColumn): Convert {
  const convert = baseConverter(column);
  return (value) => (value === null || value === undefined ? null : convert(value));
}

function baseConverter(column: SnowflakeColumn): Convert {
  switch (column.getType()) {
    case "fixed":
      return textOrNull(column.getScale() === 0 ? fromText.integer : fromText.decimal);
    case "real":
      return textOrNull(fromText.float);
    case "boolean":
      return (v) => v === true;
    case "date":
      return (v) => canonicalDate(v as Date);
    case "timestamp_ntz":
    case "timestamp_ltz":
    case "timestamp_tz":
      return (v) => canonicalTimestamp(timestampMicros(v as SfDate));
    case "binary":
      return (v) => canonicalBinary(v as Uint8Array);
    case "variant":
    case "object":
    case "array":
    case "map":
      return canonicalize;
    default:
      return (v) => (typeof v === "string" ? v : String(v)); // text, time
  }
}

/** With fetchAsString the driver hands a NULL number over as the text "NULL". */
function textOrNull(convert: (text: string) => CanonicalValue): Convert {
  return (v) => (v === "NULL" ? null : convert(String(v)));
}

function timestampMicros(value: SfDate): bigint {
  return BigInt(value.getEpochSeconds()) * 1_000_000n + BigInt(Math.floor(value.getNanoSeconds() / 1000));
}
