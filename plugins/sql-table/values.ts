import type { CanonicalRow, CanonicalValue } from "syncline/sdk";

/**
 * A canonical value as the text a database parses into its column's type: numbers and
 * booleans as written, strings as they are, arrays and objects as JSON (for json columns).
 */
export function valueText(value: CanonicalValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * The record's id in the destination, kept by the engine as `remoteId` and used to delete
 * the row later: the key column's text, or a JSON array of texts for a composite key.
 */
export function rowId(fields: CanonicalRow, key: readonly string[]): string {
  const parts = key.map((column) => valueText(fields[column]));
  return parts.length === 1 ? (parts[0] ?? "") : JSON.stringify(parts);
}

/** The key column texts of a row id made by rowId, or undefined when it is not one. */
export function parseRowId(id: string, key: readonly string[]): Array<string | null> | undefined {
  if (key.length === 1) return [id];
  try {
    const parts = JSON.parse(id) as unknown;
    if (Array.isArray(parts) && parts.length === key.length)
      return parts.map((part) => (part === null ? null : String(part)));
  } catch {
    // not a composite id
  }
  return undefined;
}
