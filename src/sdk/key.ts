import type { CanonicalRow, CanonicalValue } from "./values.ts";

/**
 * A record's key as one string, as the engine keys its snapshot: the canonical value for a
 * single-column key (its text for a string, its JSON otherwise), a JSON array for a composite
 * key. Undefined when any part is null or empty (such rows are invalid). Sources use it for
 * DigestChunk.key.
 */
export function keyOf(row: CanonicalRow, columns: readonly string[]): string | undefined {
  if (columns.length === 1) return part(row[columns[0]!]);
  const parts: CanonicalValue[] = [];
  for (const column of columns) {
    const value = row[column];
    if (value === null || value === undefined || value === "") return undefined;
    parts.push(value);
  }
  return JSON.stringify(parts);
}

/**
 * Whether `keyOf` writes this row's key as JSON. False only for a single-column key holding a
 * string: its key is the string itself, which the key alone cannot tell from a number's
 * (the string "42" and the number 42 both give "42"), so whoever keeps the key keeps this too.
 */
export function keyIsJson(row: CanonicalRow, columns: readonly string[]): boolean {
  return columns.length !== 1 || typeof row[columns[0]!] !== "string";
}

/**
 * The key values `keyOf` made `key` from: the inverse of `keyOf` given `keyIsJson` of the
 * row. Without it (unknown), a single-column key reads as text.
 */
export function keyValuesOf(key: string, columns: readonly string[], json = false): CanonicalRow {
  if (columns.length === 1) return { [columns[0]!]: json ? (JSON.parse(key) as CanonicalValue) : key };
  const parts = JSON.parse(key) as CanonicalValue[];
  return Object.fromEntries(columns.map((column, i) => [column, parts[i] ?? null]));
}

function part(value: CanonicalValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
