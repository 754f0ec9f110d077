import { type CanonicalValue, fromText } from "syncline/sdk";
import { type ArrayText, parseArrayLiteral } from "./array.ts";

/** Postgres type OIDs (pg_type.oid), the stable identifiers the wire protocol reports. */
const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
} as const;

/** Array type OID → element type OID. */
const ARRAY_ELEMENT: Record<number, number> = {
  1000: OID.bool,
  1001: OID.bytea,
  1005: OID.int2,
  1007: OID.int4,
  1016: OID.int8,
  1028: OID.oid,
  1009: 25,
  1014: 1042,
  1015: 1043,
  1021: OID.float4,
  1022: OID.float8,
  1231: OID.numeric,
  1182: OID.date,
  1115: OID.timestamp,
  1185: OID.timestamptz,
  199: OID.json,
  3807: OID.jsonb,
  2951: 2950,
  1183: 1083,
};

const NAMES: Record<number, string> = {
  16: "boolean",
  17: "bytea",
  20: "bigint",
  21: "smallint",
  23: "integer",
  25: "text",
  26: "oid",
  114: "json",
  700: "real",
  701: "double precision",
  1042: "character",
  1043: "character varying",
  1082: "date",
  1083: "time",
  1114: "timestamp",
  1184: "timestamptz",
  1186: "interval",
  1266: "timetz",
  1700: "numeric",
  2950: "uuid",
  3802: "jsonb",
};

export function typeName(oid: number): string {
  if (NAMES[oid]) return NAMES[oid];
  const element = ARRAY_ELEMENT[oid];
  if (element !== undefined) return `${NAMES[element] ?? `oid ${element}`}[]`;
  return `oid ${oid}`;
}

type Parse = (text: string) => CanonicalValue;

const text: Parse = (value) => value;

/** Text (the wire format we ask for) → canonical value, one parser per column type. */
export function parserFor(oid: number): Parse {
  switch (oid) {
    case OID.bool:
      return fromText.boolean;
    case OID.int2:
    case OID.int4:
    case OID.int8:
    case OID.oid:
      return fromText.integer;
    case OID.numeric:
      // A numeric carries its scale in its text, like Snowflake's NUMBER(38,0) is an integer.
      // "NaN" and "Infinity" stay text.
      return fromText.numeric;
    case OID.float4:
    case OID.float8:
      return fromText.float;
    case OID.date:
      return text; // ISO output: YYYY-MM-DD ("infinity" stays text)
    case OID.timestamp:
    case OID.timestamptz:
      return fromText.timestamp;
    case OID.json:
    case OID.jsonb:
      return fromText.json;
    case OID.bytea:
      return (value) => Buffer.from(value.slice(2), "hex").toString("base64"); // "\x…" hex output
  }
  const element = ARRAY_ELEMENT[oid];
  if (element !== undefined) {
    const parseElement = parserFor(element);
    const convert = (items: ArrayText): CanonicalValue[] =>
      items.map((item) => (item === null ? null : Array.isArray(item) ? convert(item) : parseElement(item)));
    return (value) => convert(parseArrayLiteral(value));
  }
  return text;
}

/**
 * The `types` object pg and pg-query-stream accept: every column arrives as text and is
 * turned into its canonical value as the row is parsed (NULL never reaches a parser).
 */
export const canonicalTypes = {
  getTypeParser(oid: number): Parse {
    return parserFor(oid);
  },
};
