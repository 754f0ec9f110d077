import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeValue,
  type DuckDBType,
  DuckDBTypeId,
  DuckDBUUIDValue,
  type DuckDBValue,
} from "@duckdb/node-api";
import {
  type CanonicalValue,
  canonicalBinary,
  canonicalDate,
  canonicalDecimal,
  canonicalFloat,
  canonicalInteger,
  canonicalJsonText,
  canonicalTimestamp,
} from "syncline/sdk";

export type Converter = (value: DuckDBValue) => CanonicalValue;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** One converter per column, chosen once from the column's type (the hot path stays branch-light). */
export function converterFor(type: DuckDBType): Converter {
  if (type.alias === "JSON") return (v) => (v === null ? null : canonicalJsonText(String(v)));
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.VARCHAR:
      return (v) => v as CanonicalValue;
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
      return (v) => (v === null ? null : (v as number) === 0 ? 0 : (v as number));
    case DuckDBTypeId.DOUBLE:
      return (v) => (v === null ? null : canonicalFloat(v as number));
    case DuckDBTypeId.FLOAT:
      return (v) => (v === null ? null : canonicalFloat(shortestFloat32(v as number)));
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      // canonicalInteger without its two BigInt allocations per call (keys are often BIGINT).
      return (v) =>
        v === null ? null : (v as bigint) <= MAX_SAFE && (v as bigint) >= MIN_SAFE ? Number(v) : String(v);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (v) => (v === null ? null : timestampFromMicros((v as DuckDBTimestampValue).micros));
    case DuckDBTypeId.DECIMAL:
      return (v) => {
        if (v === null) return null;
        const { value, scale } = v as DuckDBDecimalValue;
        return scale === 0 ? canonicalInteger(value) : decimalFromUnscaled(value, scale);
      };
    default:
      return convert;
  }
}

/** Converts any DuckDB value by its runtime class (nested values, rare types). */
export function convert(value: DuckDBValue): CanonicalValue {
  if (value === null) return null;
  switch (typeof value) {
    case "boolean":
    case "string":
      return value;
    case "number":
      return Number.isInteger(value) ? canonicalInteger(value) : canonicalFloat(value);
    case "bigint":
      return canonicalInteger(value);
  }
  if (value instanceof DuckDBDecimalValue) {
    // Scale 0 is an integer type in every warehouse (NUMBER(38,0) is Snowflake's INT).
    return value.scale === 0
      ? canonicalInteger(value.value)
      : canonicalDecimal({ unscaled: value.value, scale: value.scale });
  }
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) {
    return canonicalTimestamp(value.micros);
  }
  if (value instanceof DuckDBTimestampMillisecondsValue) return canonicalTimestamp(value.millis * 1000n);
  if (value instanceof DuckDBTimestampSecondsValue) return canonicalTimestamp(value.seconds * 1_000_000n);
  if (value instanceof DuckDBTimestampNanosecondsValue) return canonicalTimestamp(value.nanos / 1000n);
  if (value instanceof DuckDBDateValue) return canonicalDate(value.days);
  if (value instanceof DuckDBBlobValue) return canonicalBinary(value.bytes);
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(convert);
  if (value instanceof DuckDBStructValue) return sorted(Object.entries(value.entries));
  if (value instanceof DuckDBMapValue) return sorted(value.entries.map((e) => [String(e.key), e.value]));
  if (value instanceof DuckDBUUIDValue || value instanceof DuckDBTimeValue || value instanceof DuckDBIntervalValue) {
    return value.toString();
  }
  return String(value);
}

function sorted(entries: Array<[string, DuckDBValue]>): { [key: string]: CanonicalValue } {
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: { [key: string]: CanonicalValue } = {};
  for (const [key, value] of entries) out[key] = convert(value);
  return out;
}

/** The shortest decimal that reads back as the same 32-bit float (0.1f → 0.1, not 0.10000000149). */
function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  for (let precision = 1; precision < 10; precision++) {
    const candidate = Number(value.toPrecision(precision));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

const DAY_US = 86_400_000_000;
/** Day number → "YYYY-MM-DDT" (a model's timestamps fall on few distinct days). */
const dayPrefixes = new Map<number, string>();
const DAYS_KEPT = 4096;

/**
 * canonicalTimestamp for epoch microseconds, without BigInt arithmetic when the value fits a
 * double exactly (±285 years around 1970) and the year has four digits; otherwise the SDK's.
 * Only the date is formatted by Date (once per day seen, cached); the time of day is
 * arithmetic: this runs for every timestamp of every row read.
 */
export function timestampFromMicros(micros: bigint): string {
  const us = Number(micros);
  if (!Number.isSafeInteger(us)) return canonicalTimestamp(micros);
  const day = Math.floor(us / DAY_US);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const iso = new Date(day * 86_400_000).toISOString();
    if (iso.length !== 24) return canonicalTimestamp(micros);
    if (dayPrefixes.size >= DAYS_KEPT) dayPrefixes.clear();
    prefix = iso.slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const ofDay = us - day * DAY_US;
  const seconds = Math.floor(ofDay / 1_000_000);
  const fraction = ofDay - seconds * 1_000_000;
  const time = `${prefix}${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
  if (fraction === 0) return `${time}Z`;
  let digits = String(fraction).padStart(6, "0");
  let end = 6;
  while (digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  return `${time}.${digits}Z`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** canonicalDecimal for an unscaled integer and a scale > 0, without the SDK's text parsing. */
export function decimalFromUnscaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const cut = digits.length - scale;
  let end = digits.length;
  while (end > cut && digits.charCodeAt(end - 1) === 48) end--;
  const whole = digits.slice(0, cut);
  return `${negative ? "-" : ""}${whole}${end > cut ? `.${digits.slice(cut, end)}` : ""}`;
}
