import { type CanonicalValue, canonicalTimestamp } from "./values.ts";

/**
 * Parses timestamp text exactly, to epoch microseconds, without going through Date (which
 * would drop the microseconds): `2024-01-02 03:04:05.123456`, `…+02`, `…-03:30`, `…Z`, with
 * a `T` or a space. Text without a zone is read as UTC. Returns undefined for anything else
 * (`infinity`, BC dates), which the caller keeps as text.
 */
const TIMESTAMP =
  /^(\d{4,})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;

export function timestampMicros(text: string): bigint | undefined {
  const m = TIMESTAMP.exec(text);
  return m ? microsOf(m) : undefined;
}

function microsOf(m: RegExpExecArray): bigint | undefined {
  const [, y, mo, d, h, mi, s, fraction = "", , sign, oh = "0", om = "0", os = "0"] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const millis = date.getTime();
  if (Number.isNaN(millis)) return undefined;
  const micros = BigInt(millis) * 1000n + BigInt(fraction.padEnd(6, "0").slice(0, 6) || "0");
  const offsetSeconds = BigInt(Number(oh) * 3600 + Number(om) * 60 + Number(os));
  if (!sign) return micros;
  return sign === "+" ? micros - offsetSeconds * 1_000_000n : micros + offsetSeconds * 1_000_000n;
}

/** Timestamp text as its canonical value; text that is no timestamp (`infinity`) stays as it is. */
export function canonicalTimestampText(text: string): CanonicalValue {
  const m = TIMESTAMP.exec(text);
  if (!m) return text;
  const utc = utcText(m);
  if (utc !== undefined) return utc;
  const micros = microsOf(m);
  return micros === undefined ? text : canonicalTimestamp(micros);
}

const TRAILING_ZEROS = /0+$/;

/**
 * The canonical text of a UTC timestamp with a four-digit year (no offset, `Z` or a zero one:
 * the form drivers send with the session in UTC) by rearranging its digits, without Date or
 * BigInt (the general path costs several times more per value, and a source sends one per row
 * and column). Invariant: returns what `canonicalTimestamp(microsOf(m))` returns, or undefined
 * (the general path decides) for another offset or any field out of range, which Date would
 * carry over.
 */
function utcText(m: RegExpExecArray): string | undefined {
  const [, y, mo, d, h, mi, s, fraction, , sign, oh, om, os] = m;
  if (y!.length !== 4 || (sign && (oh !== "00" || (om ?? "00") !== "00" || (os ?? "00") !== "00"))) return undefined;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(Number(y), month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const digits = fraction ? fraction.slice(0, 6).replace(TRAILING_ZEROS, "") : "";
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${digits ? `.${digits}` : ""}Z`;
}

function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}
