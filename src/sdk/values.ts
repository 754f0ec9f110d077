/**
 * Canonical values: the one representation every source produces, so that the same logical
 * value hashes the same way across runs and across warehouses.
 *
 * - integers of any width: a JSON number when safe, otherwise a string of digits
 * - exact decimals: a normalised string ("1.50" → "1.5", "2.00" → "2"); a decimal type with
 *   scale 0 (NUMBER(38,0), NUMERIC(38,0)) is an integer type and reads as an integer
 * - floats: numbers (NaN and ±Infinity as strings, -0 as 0)
 * - dates: "YYYY-MM-DD"; timestamps with or without zone: UTC ISO-8601 with trailing
 *   zero fractions removed ("2024-01-02T03:04:05.5Z")
 * - JSON, structs, maps: objects with sorted keys; arrays stay ordered
 * - binary: base64; NULL: null
 */
export type CanonicalValue = null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue };
export type CanonicalRow = Record<string, CanonicalValue>;

export function canonicalInteger(value: bigint | number | string): number | string {
  const big = typeof value === "bigint" ? value : BigInt(value);
  if (big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(big);
  return big.toString();
}

export function canonicalFloat(value: number): number | string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  return value === 0 ? 0 : value;
}

/** An exact decimal from its unscaled integer and scale, or from its text. */
export function canonicalDecimal(value: string | { unscaled: bigint; scale: number }): string {
  let text: string;
  if (typeof value === "string") {
    text = value.trim();
  } else {
    const negative = value.unscaled < 0n;
    const digits = (negative ? -value.unscaled : value.unscaled).toString().padStart(value.scale + 1, "0");
    const cut = digits.length - value.scale;
    text = `${negative ? "-" : ""}${digits.slice(0, cut)}${value.scale > 0 ? `.${digits.slice(cut)}` : ""}`;
  }
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return text;
  let [, sign = "", whole = "", fraction = ""] = match;
  const exponent = Number(match[4] ?? 0);
  if (exponent > 0) {
    fraction = fraction.padEnd(exponent, "0");
    whole += fraction.slice(0, exponent);
    fraction = fraction.slice(exponent);
  } else if (exponent < 0) {
    whole = whole.padStart(-exponent + 1, "0");
    fraction = whole.slice(whole.length + exponent) + fraction;
    whole = whole.slice(0, whole.length + exponent);
  }
  whole = whole.replace(/^0+(?=\d)/, "") || "0";
  fraction = fraction.replace(/0+$/, "");
  if (whole === "0" && fraction === "") sign = "";
  return `${sign === "-" ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/**
 * A timestamp from epoch microseconds (exact) or a Date; always UTC. Years outside 0000–9999
 * are written as ISO 8601's expanded years (`+010000-01-01T00:00:00Z`), as Date writes them.
 */
export function canonicalTimestamp(value: Date | bigint | number): string {
  const micros = value instanceof Date ? BigInt(value.getTime()) * 1000n : BigInt(value);
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const rest = Number(micros - ms * 1000n);
  const base = isoMillis(ms); // 2024-01-02T03:04:05.678Z, or +010000-01-01T00:00:00.000Z
  const t = base.indexOf("T");
  const fraction = `${base.slice(t + 10, t + 13)}${String(rest).padStart(3, "0")}`.replace(/0+$/, "");
  return `${base.slice(0, t + 9)}${fraction ? `.${fraction}` : ""}Z`;
}

const DATE_LIMIT_MS = 8_640_000_000_000_000n;
const DAY_MS = 86_400_000n;

/**
 * Date's ISO text for epoch milliseconds, and the same text past Date's range (±275,760
 * years; DuckDB's timestamps reach the year 294,247), from the proleptic Gregorian calendar.
 */
function isoMillis(ms: bigint): string {
  if (ms >= -DATE_LIMIT_MS && ms <= DATE_LIMIT_MS) return new Date(Number(ms)).toISOString();
  const days = ms / DAY_MS - (ms % DAY_MS < 0n ? 1n : 0n);
  const time = new Date(Number(ms - days * DAY_MS)).toISOString().slice(10); // "T03:04:05.678Z"
  const [year, month, day] = civilFromDays(Number(days));
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${year < 0 ? "-" : "+"}${pad(Math.abs(year), 6)}-${pad(month, 2)}-${pad(day, 2)}${time}`;
}

/** Year, month and day of a day number (days since 1970-01-01): H. Hinnant's civil_from_days. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** A calendar date from days since the epoch, a Date (its UTC day) or "YYYY-MM-DD". */
export function canonicalDate(value: Date | number | string): string {
  if (typeof value === "string") return value.slice(0, 10);
  const date = value instanceof Date ? value : new Date(value * 86_400_000);
  return date.toISOString().slice(0, 10);
}

export function canonicalBinary(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
}

/** Parses JSON text into canonical form (sorted keys); text that is not JSON stays text. */
export function canonicalJsonText(text: string): CanonicalValue {
  try {
    return canonicalize(JSON.parse(text));
  } catch {
    return text;
  }
}

/**
 * Canonical form of a plain JavaScript value as drivers commonly return them: bigint,
 * number, Date (a timestamp), Uint8Array, arrays and objects (keys sorted).
 */
export function canonicalize(value: unknown): CanonicalValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "boolean":
    case "string":
      return value;
    case "number":
      return Number.isInteger(value) ? canonicalInteger(value) : canonicalFloat(value);
    case "bigint":
      return canonicalInteger(value);
    case "object": {
      if (value instanceof Date) return canonicalTimestamp(value);
      if (value instanceof Uint8Array) return canonicalBinary(value);
      if (Array.isArray(value)) return value.map(canonicalize);
      if (value instanceof Map) return sortedObject([...value.entries()].map(([k, v]) => [String(k), v]));
      return sortedObject(Object.entries(value as Record<string, unknown>));
    }
    default:
      return String(value);
  }
}

function sortedObject(entries: Array<[string, unknown]>): { [key: string]: CanonicalValue } {
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: { [key: string]: CanonicalValue } = {};
  for (const [key, entry] of entries) out[key] = canonicalize(entry);
  return out;
}
