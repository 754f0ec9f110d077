import type { OrderedReadRequest } from "../ordered-read.ts";
import type { Model } from "../source.ts";
import type { Dialect } from "./dialect.ts";

const HASH = "__syncline_m";
const KEY = "__syncline_k";

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
  const ref = (column: string) => `m.${dialect.quoteIdent(column)}`;
  // One concat() for the whole text: chained || copies every intermediate string.
  const parts: string[] = [];
  for (const [i, [field, column]] of request.fields.entries()) {
    const text = dialect.canonicalJson(ref(column), types.get(column) ?? "");
    if (text === undefined) return undefined;
    parts.push(
      dialect.literal(`${i === 0 ? "{" : ","}${JSON.stringify(field)}:`),
      `CASE WHEN ${ref(column)} IS NULL THEN 'null' ELSE ${text} END`,
    );
  }
  const key = keyText(dialect, request.primaryKey, types);
  if (key === undefined) return undefined;
  const json = parts.length === 0 ? "'{}'" : `concat(${parts.join(", ")}, '}')`;
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
  };
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
