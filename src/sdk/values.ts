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

/** A timestamp from epoch microseconds (exact) or a Date; always UTC. */
export function canonicalTimestamp(value: Date | bigint | number): string {
  const micros = value instanceof Date ? BigInt(value.getTime()) * 1000n : BigInt(value);
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const rest = Number(micros - ms * 1000n);
  const base = new Date(Number(ms)).toISOString(); // 2024-01-02T03:04:05.678Z
  const fraction = `${base.slice(20, 23)}${String(rest).padStart(3, "0")}`.replace(/0+$/, "");
  return `${base.slice(0, 19)}${fraction ? `.${fraction}` : ""}Z`;
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
