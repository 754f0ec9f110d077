import { hash } from "node:crypto";
import type { CanonicalRow } from "../../sdk/values.ts";

/**
 * The hash of a record's mapped fields: md5 over the canonical JSON of the fields in sorted
 * field order (the record builder creates them in that order). md5 is not for security
 * here, only for change detection; it is the fastest digest node:crypto offers, and the
 * one-shot `hash` skips the Hash object `createHash` allocates per record (BENCHMARKS.md,
 * issue 16 levers). Pass the JSON text when the caller already has it (the planner does).
 */
export function hashFields(fields: CanonicalRow | string): string {
  const json = typeof fields === "string" ? fields : JSON.stringify(fields);
  return hash("md5", json, "base64url");
}
