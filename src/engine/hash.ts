import { createHash } from "node:crypto";
import type { CanonicalRow, CanonicalValue } from "../sdk/values.ts";

/**
 * The hash of a record's mapped fields: md5 over the canonical JSON of the fields in sorted
 * field order (the record builder creates them in that order). md5 is not for security
 * here, only for change detection; it is the fastest digest node:crypto offers. Pass the
 * JSON text when the caller already has it (the planner does).
 */
export function hashFields(fields: CanonicalRow | string): string {
  const json = typeof fields === "string" ? fields : JSON.stringify(fields);
  return createHash("md5").update(json).digest("base64url");
}

/**
 * A record's key as one string: the canonical value for a single-column key, a JSON array
 * for a composite key. Returns undefined when any part is null (such rows are invalid).
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
