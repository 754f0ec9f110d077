import {
  type CanonicalValue,
  canonicalBinary,
  canonicalDate,
  canonicalDecimal,
  canonicalFloat,
  canonicalInteger,
  canonicalize,
  canonicalTimestamp,
} from "syncline/sdk";

/** The column metadata the driver gives (snowflake-sdk's Column). */
export interface SnowflakeColumn {
  getName(): string;
  getType(): string;
  getScale(): number;
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
    // With fetchAsString the driver hands a NULL number over as the text "NULL".
    case "fixed":
      return column.getScale() === 0
        ? (v) => (v === "NULL" ? null : canonicalInteger(String(v)))
        : (v) => (v === "NULL" ? null : canonicalDecimal(String(v)));
    case "real":
      return (v) => (v === "NULL" ? null : canonicalFloat(realNumber(String(v))));
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

function realNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower === "inf" || lower === "infinity") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  return Number(text);
}

function timestampMicros(value: SfDate): bigint {
  return BigInt(value.getEpochSeconds()) * 1_000_000n + BigInt(Math.floor(value.getNanoSeconds() / 1000));
}
