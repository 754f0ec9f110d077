import type { CanonicalRow, CanonicalValue } from "./values.ts";

/**
 * A record's key as one string, as the engine keys its snapshot: the canonical value for a
 * single-column key, a JSON array for a composite key. Undefined when any part is null or
 * empty (such rows are invalid). Sources use it for DigestChunk.key.
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

function part(value: CanonicalValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
