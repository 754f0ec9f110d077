import type { CanonicalRow, CanonicalValue } from "syncline/sdk";

/**
 * HubSpot property values are strings: null clears a property (""), arrays of scalars become
 * multi-select values ("a;b"), objects become JSON text.
 */
export function toHubSpotValue(value: CanonicalValue): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((item) => item === null || typeof item !== "object")) {
    return value.map((item) => (item === null ? "" : String(item))).join(";");
  }
  return JSON.stringify(value);
}

export function toHubSpotProperties(fields: CanonicalRow): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) properties[name] = toHubSpotValue(value);
  return properties;
}

/** How HubSpot compares values of `property` (emails are stored lower-cased). */
export function normaliseId(property: string | undefined, value: string): string {
  return property === "email" ? value.trim().toLowerCase() : value;
}
