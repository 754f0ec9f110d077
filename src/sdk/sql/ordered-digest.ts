import type { OrderedReadRequest } from "../ordered-read.ts";
import type { Model } from "../source.ts";
import type { Dialect } from "./dialect.ts";

const HASH = "__syncline_m";
const KEY = "__syncline_k";
/** Between the texts of OrderedDigestSql.allTexts. */
export const TEXT_SEPARATOR = "\u0001";

/** The SQL of an ordered read (SourceDefinition.readOrdered), in one dialect. */
export interface OrderedDigestSql {
  /**
   * Every model row's digest (32 hex characters, see Dialect.digestHex) and canonical key
   * text, in that order, ordered by the key (NULL keys last). Only the digest and key are
   * sorted; where the dialect keeps a subquery's order, the hex text is made after the sort.
   */
  digests: string;
  /** The rows (request.columns) whose canonical key is in `keys` (a relation of one column `k`). */
  rows(keys: string): string;
  /** Every row (request.columns) of the model (OrderedRead.allRows). */
  all: string;
  /**
   * Every row as texts (OrderedRead.allRowTexts), in one column: the canonical JSON of its
   * primary key's columns, chr(1), that of `fields`, chr(1), its key text (empty when NULL);
   * each as Dialect.canonicalJson renders it (the source sets aside a row whose texts hold NUL,
   * or that its dialect may render inexactly). Then request.columns, for those rows. JSON text
   * never holds chr(1), so the first two split the texts. Undefined when a type has no
   * canonical JSON.
   */
  allTexts(fields: ReadonlyArray<readonly [string, string]>): string | undefined;
}

/**
 * The ordered read's queries: each row's hash is the digest of the canonical JSON of its
 * mapped fields, `{"<field>":<value>,…}` — the engine's own hash, so digests compare with its
 * snapshot. Undefined when a column's type has no canonical JSON in this dialect. `types`:
 * each needed column's type, as the source names it.
 */
export function orderedDigestSql(
  dialect: Dialect,
  model: Model,
  request: OrderedReadRequest,
  types: ReadonlyMap<string, string>,
): OrderedDigestSql | undefined {
  const fieldParts = canonicalObject(dialect, request.fields, types);
  if (fieldParts === undefined) return undefined;
  const json = fieldParts.length === 1 ? fieldParts[0]! : `concat(${fieldParts.join(", ")})`;
  const key = keyText(dialect, request.primaryKey, types);
  if (key === undefined) return undefined;
  const ref = (column: string) => `m.${dialect.quoteIdent(column)}`;
  const relation = dialect.relation(model);
  const digests = `SELECT ${dialect.digest(json)} AS ${HASH}, ${key} AS ${KEY} FROM ${relation} AS m`;
  const order = `ORDER BY ${dialect.byteOrder(KEY)} NULLS LAST`;
  return {
    digests: dialect.keepsSubqueryOrder
      ? `SELECT ${dialect.digestHex(HASH)} AS ${HASH}, ${KEY} FROM (
      SELECT ${HASH}, ${KEY} FROM (${digests}) AS d ${order}) AS s`
      : `SELECT ${dialect.digestHex(HASH)} AS ${HASH}, ${KEY} FROM (${digests}) AS d ${order}`,
    rows: (keys) => `SELECT ${request.columns.map(ref).join(", ")} FROM ${relation} AS m
    WHERE ${key} IN (SELECT k FROM ${keys})`,
    all: `SELECT ${request.columns.map(ref).join(", ")} FROM ${relation} AS m`,
    allTexts(fields) {
      const texts = canonicalObject(dialect, fields, types);
      const keyColumns = jsonOrder(request.primaryKey).map((column) => [column, column] as const);
      const keyValues = canonicalObject(dialect, keyColumns, types);
      if (texts === undefined || keyValues === undefined) return undefined;
      const separator = dialect.literal(TEXT_SEPARATOR);
      const parts = [...keyValues, separator, ...texts, separator, `coalesce(${key}, '')`];
      return `SELECT concat(${parts.join(", ")}) AS ${KEY}, ${request.columns.map(ref).join(", ")}
      FROM ${relation} AS m`;
    },
  };
}

/**
 * The canonical JSON of `pairs` ([name, model column], in their JSON order) as the parts of
 * one SQL concat(): `{"<name>":<value>,…}`, as JSON.stringify writes the engine's canonical
 * values. One concat() for a whole text: chained || copies every intermediate string.
 * Undefined when a column's type has no canonical JSON in this dialect.
 */
function canonicalObject(
  dialect: Dialect,
  pairs: ReadonlyArray<readonly [string, string]>,
  types: ReadonlyMap<string, string>,
): string[] | undefined {
  const ref = (column: string) => `m.${dialect.quoteIdent(column)}`;
  if (pairs.length === 0) return ["'{}'"];
  const parts: string[] = [];
  for (const [i, [name, column]] of pairs.entries()) {
    const text = dialect.canonicalJson(ref(column), types.get(column) ?? "");
    if (text === undefined) return undefined;
    parts.push(
      dialect.literal(`${i === 0 ? "{" : ","}${JSON.stringify(name)}:`),
      `CASE WHEN ${ref(column)} IS NULL THEN 'null' ELSE ${text} END`,
    );
  }
  parts.push("'}'");
  return parts;
}

/** Names in the order JSON.stringify writes an object built in their order (integer-like first). */
function jsonOrder(names: readonly string[]): string[] {
  return Object.keys(Object.fromEntries(names.map((name) => [name, null])));
}

/**
 * The key's canonical text: a column's own for a single-column key, the JSON array of the
 * parts for a composite one (NULL when any part is NULL, as the engine's keyOf).
 */
function keyText(dialect: Dialect, primaryKey: readonly string[], types: ReadonlyMap<string, string>) {
  const ref = (column: string) => `m.${dialect.quoteIdent(column)}`;
  if (primaryKey.length === 1) return dialect.canonicalKey(ref(primaryKey[0]!), types.get(primaryKey[0]!) ?? "");
  const parts = primaryKey.map((column) => dialect.canonicalJson(ref(column), types.get(column) ?? ""));
  if (parts.some((part) => part === undefined)) return undefined;
  const anyNull = primaryKey.map((column) => `${ref(column)} IS NULL`).join(" OR ");
  return `CASE WHEN ${anyNull} THEN NULL ELSE concat('[', ${parts.join(", ',', ")}, ']') END`;
}
