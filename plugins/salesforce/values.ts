import type { CanonicalRow, CanonicalValue } from "syncline/sdk";

/**
 * A field value for the REST API: scalars as they are, lists as multi-select picklists
 * ("a;b"), objects as they are (relationship references such as `{External_Id__c: "x"}`).
 */
export function toJsonValue(value: CanonicalValue): CanonicalValue {
  if (Array.isArray(value)) return value.map((item) => (item === null ? "" : String(item))).join(";");
  return value;
}

export function toSObject(
  type: string,
  fields: CanonicalRow,
  extra: Record<string, string> = {},
): Record<string, unknown> {
  const sobject: Record<string, unknown> = { attributes: { type }, ...extra };
  for (const [name, value] of Object.entries(fields)) sobject[name] = toJsonValue(value);
  return sobject;
}

/** A CSV cell for Bulk API 2.0: `#N/A` sets null; an empty cell leaves the field as it is. */
export function toCsvValue(value: CanonicalValue | undefined): string {
  if (value === undefined) return "";
  if (value === null) return "#N/A";
  if (typeof value === "string") return value === "" ? "#N/A" : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map((item) => (item === null ? "" : String(item))).join(";");
  return JSON.stringify(value);
}

/** The record's value for `field` as text, or undefined when empty. */
export function textOf(fields: CanonicalRow, field: string): string | undefined {
  const value = fields[field];
  if (value === null || value === undefined || value === "") return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
