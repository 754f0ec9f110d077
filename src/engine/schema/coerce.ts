import { type DiscoveredField, type FieldType, isFieldType } from "../../sdk/field-types.ts";
import { type CanonicalRow, type CanonicalValue, canonicalInteger, canonicalTimestamp } from "../../sdk/values.ts";

export type Coerced = { ok: true; value: CanonicalValue } | { ok: false; reason: string };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const WHOLE = /^[+-]?\d+(\.0*)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const TRUE = new Set(["true", "1"]);
const FALSE = new Set(["false", "0"]);

/**
 * A value in the form a destination field takes, when the conversion is safe: numeric text to
 * numbers, "true"/"false"/0/1 to booleans, dates and instants to ISO-8601 ("YYYY-MM-DD" for a
 * date, UTC for an instant), numbers and booleans to text. Anything else is refused with a
 * reason naming the value and what the field takes; null always passes (it clears the field).
 */
export function coerceValue(value: CanonicalValue, field: DiscoveredField): Coerced {
  // A type outside the vocabulary (a plugin's own name put in `type`) is not checked.
  if (value === null || !isFieldType(field.type) || field.type === "json") return { ok: true, value };
  const refuse = (why?: string): Coerced => ({ ok: false, reason: reasonFor(field, value, why) });
  switch (field.type) {
    case "string":
      return toText(value, field, refuse);
    case "number":
      if (typeof value === "number") return { ok: true, value };
      return typeof value === "string" && NUMBER.test(value.trim()) ? { ok: true, value: Number(value) } : refuse();
    case "integer":
      if (typeof value === "number")
        return Number.isInteger(value) ? { ok: true, value } : refuse("not a whole number");
      if (typeof value !== "string" || !NUMBER.test(value.trim())) return refuse();
      return WHOLE.test(value.trim())
        ? { ok: true, value: canonicalInteger(value.trim().replace(/\.0*$/, "")) }
        : refuse("not a whole number");
    case "boolean":
      return toBoolean(value, refuse);
    case "date":
      return toDate(value, refuse);
    case "datetime":
      return toInstant(value, refuse);
  }
}

/** Every field of a record coerced, or every reason it cannot be sent (one line). */
export function coerceFields(
  fields: CanonicalRow,
  lookup: (name: string) => DiscoveredField | undefined,
): { ok: true; fields: CanonicalRow } | { ok: false; reason: string } {
  const out: CanonicalRow = {};
  const reasons: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const field = lookup(name);
    if (!field) {
      out[name] = value;
      continue;
    }
    const coerced = coerceValue(value, field);
    if (coerced.ok) out[name] = coerced.value;
    else reasons.push(coerced.reason);
  }
  return reasons.length === 0 ? { ok: true, fields: out } : { ok: false, reason: reasons.join("; ") };
}

function toText(value: CanonicalValue, field: DiscoveredField, refuse: (why?: string) => Coerced): Coerced {
  // Arrays and objects pass as they are: the plugin knows its form (HubSpot's "a;b" multi-selects).
  if (typeof value === "object") return { ok: true, value };
  const text = String(value);
  // A plugin's answer is not trusted to be well formed: enum and maxLength count only when they are.
  if (Array.isArray(field.enum) && field.enum.length > 0 && !field.enum.includes(text)) {
    const match = field.enum.find((option) => option.toLowerCase() === text.toLowerCase());
    if (match === undefined) return refuse(`not one of its options (${listed(field.enum)})`);
    return { ok: true, value: match };
  }
  if (typeof field.maxLength === "number" && [...text].length > field.maxLength) {
    return refuse(`${[...text].length} characters, over its limit of ${field.maxLength}`);
  }
  return { ok: true, value: text };
}

function toBoolean(value: CanonicalValue, refuse: (why?: string) => Coerced): Coerced {
  if (typeof value === "boolean") return { ok: true, value };
  if (typeof value !== "number" && typeof value !== "string") return refuse();
  const text = String(value).trim().toLowerCase();
  if (TRUE.has(text)) return { ok: true, value: true };
  if (FALSE.has(text)) return { ok: true, value: false };
  return refuse('only true, false, "true", "false", 1 or 0 convert');
}

function toDate(value: CanonicalValue, refuse: (why?: string) => Coerced): Coerced {
  if (typeof value !== "string") return refuse();
  const text = value.trim();
  if (DATE.test(text)) return validDate(text) ? { ok: true, value: text } : refuse("not a calendar date");
  const ms = instantMs(text);
  if (ms === undefined) return refuse();
  if (ms % 86_400_000 !== 0) return refuse("it has a time of day; cast it to a date in the model");
  return { ok: true, value: new Date(ms).toISOString().slice(0, 10) };
}

function toInstant(value: CanonicalValue, refuse: (why?: string) => Coerced): Coerced {
  if (typeof value !== "string") return refuse();
  const text = value.trim();
  if (DATE.test(text))
    return validDate(text) ? { ok: true, value: `${text}T00:00:00Z` } : refuse("not a calendar date");
  const ms = instantMs(text);
  if (ms === undefined) return refuse();
  // Sub-millisecond digits are kept when the text is already UTC.
  return { ok: true, value: /Z$/.test(text) && text.includes("T") ? text : canonicalTimestamp(new Date(ms)) };
}

/** An ISO-8601 instant's epoch ms; text without a zone is UTC, as canonical timestamps are. */
function instantMs(text: string): number | undefined {
  if (!INSTANT.test(text)) return undefined;
  const iso = text.replace(" ", "T");
  const ms = Date.parse(/(Z|[+-]\d{2}(:?\d{2})?)$/.test(iso.slice(10)) ? iso : `${iso}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

function validDate(text: string): boolean {
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(text);
}

const ARTICLE: Record<FieldType, string> = {
  string: "text",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  date: 'a date ("YYYY-MM-DD")',
  datetime: "a date-time (ISO-8601)",
  json: "any value",
};

/** `field "x" takes a number (HubSpot type number); got the string "lots"`, and why, when known. */
function reasonFor(field: DiscoveredField, value: CanonicalValue, why?: string): string {
  const native = field.nativeType && field.nativeType !== field.type ? ` (${field.nativeType})` : "";
  return `field "${field.name}" takes ${ARTICLE[field.type ?? "json"]}${native}; got ${describeValue(value)}${why ? ` — ${why}` : ""}`;
}

export function describeValue(value: CanonicalValue): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  const shown = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return `the ${typeof value} ${shown}`;
}

function listed(options: readonly string[]): string {
  const shown = options.slice(0, 10).map((option) => JSON.stringify(option));
  return `${shown.join(", ")}${options.length > 10 ? `, … ${options.length - 10} more` : ""}`;
}
