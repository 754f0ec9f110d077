import { type CanonicalValue, canonicalDecimal, canonicalTimestamp, fromText } from "syncline/sdk";

/** A field of a result schema (the REST API's TableFieldSchema). */
export interface SchemaField {
  name?: string | null;
  type?: string | null;
  mode?: string | null;
  fields?: SchemaField[] | null;
}

/** A REST cell value: text, a RECORD's `{f: [...]}`, or a REPEATED field's `[{v}, …]`. */
export type RawValue = string | null | { f: Array<{ v: RawValue }> } | Array<{ v: RawValue }>;
export type Convert = (value: RawValue) => CanonicalValue;

/**
 * One converter per schema field, from the REST API's wire form (jobs.getQueryResults):
 * every scalar is text, so INT64, NUMERIC and BIGNUMERIC stay exact, TIMESTAMP arrives as
 * epoch microseconds (formatOptions.useInt64Timestamp), DATETIME as ISO text, BYTES as base64.
 */
export function converterFor(field: SchemaField): Convert {
  const single = scalarConverter(field);
  if (field.mode === "REPEATED") {
    return (value) => (Array.isArray(value) ? value.map((cell) => (cell.v === null ? null : single(cell.v))) : null);
  }
  return (value) => (value === null || value === undefined ? null : single(value));
}

function scalarConverter(field: SchemaField): Convert {
  const text =
    (convert: (text: string) => CanonicalValue): Convert =>
    (value) =>
      convert(String(value));
  switch (field.type) {
    case "INTEGER":
    case "INT64":
      return text(fromText.integer);
    case "FLOAT":
    case "FLOAT64":
      return text(fromText.float);
    case "NUMERIC":
    case "BIGNUMERIC":
      return text(fromText.decimal);
    case "BOOLEAN":
    case "BOOL":
      return text(fromText.boolean);
    case "BYTES":
      return text((v) => Buffer.from(v, "base64").toString("base64"));
    case "TIMESTAMP":
      return text(timestamp);
    case "DATETIME":
      return text(fromText.timestamp);
    case "JSON":
      return text(fromText.json);
    case "RECORD":
    case "STRUCT":
      return recordConverter(field.fields ?? []);
    default:
      return text((v) => v); // STRING, DATE, TIME, GEOGRAPHY, RANGE
  }
}

/** Epoch microseconds ("1704164645123456"); float seconds ("1.7041646451234E9") if the server sent those. */
function timestamp(value: string): CanonicalValue {
  if (/^-?\d+$/.test(value)) return canonicalTimestamp(BigInt(value));
  const seconds = canonicalDecimal(value);
  const [whole = "0", fraction = ""] = seconds.split(".");
  const sign = whole.startsWith("-") ? -1n : 1n;
  const micros = BigInt(whole) * 1_000_000n + sign * BigInt(fraction.padEnd(6, "0").slice(0, 6));
  return canonicalTimestamp(micros);
}

function recordConverter(fields: SchemaField[]): Convert {
  const entries = fields.map((field, index) => ({ name: field.name ?? "", index, convert: converterFor(field) }));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return (value) => {
    const cells = (value as { f: Array<{ v: RawValue }> }).f;
    const out: { [key: string]: CanonicalValue } = {};
    for (const { name, index, convert } of entries) out[name] = convert(cells[index]?.v ?? null);
    return out;
  };
}
