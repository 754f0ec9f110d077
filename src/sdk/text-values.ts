import { canonicalTimestampText } from "./timestamp.ts";
import {
  type CanonicalValue,
  canonicalDecimal,
  canonicalFloat,
  canonicalInteger,
  canonicalJsonText,
} from "./values.ts";

type FromText = (text: string) => CanonicalValue;

const INTEGER_TEXT = /^-?\d+$/;

/**
 * Canonical values from the text a driver hands over (many wire protocols send every scalar as
 * text, which keeps wide integers and decimals exact), one function per kind of type, to be
 * chosen once per column.
 */
export const fromText = {
  integer: canonicalInteger as FromText,
  decimal: canonicalDecimal as FromText,
  /** A decimal whose text carries its scale: "42" (scale 0) is an integer, "2.00" a decimal. */
  numeric: (text) => (INTEGER_TEXT.test(text) ? canonicalInteger(text) : canonicalDecimal(text)),
  /** A float, with `inf`, `Infinity`, `NaN` in any case. */
  float: (text) => canonicalFloat(floatOf(text)),
  boolean: (text) => text === "true" || text === "t",
  json: canonicalJsonText,
  /** Timestamp text with or without an offset (none is UTC); other text stays as it is. */
  timestamp: canonicalTimestampText,
} satisfies Record<string, FromText>;

function floatOf(text: string): number {
  const number = Number(text);
  if (!Number.isNaN(number)) return number;
  const lower = text.toLowerCase();
  if (lower === "inf" || lower === "infinity") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  return number;
}
