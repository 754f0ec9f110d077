import type { CanonicalRow, CanonicalValue } from "syncline/sdk";

/** Contact attributes Intercom takes at the top level; every other field is a custom attribute. */
const STANDARD = new Set([
  "role",
  "external_id",
  "email",
  "phone",
  "name",
  "avatar",
  "signed_up_at",
  "last_seen_at",
  "owner_id",
  "unsubscribed_from_emails",
  "language_override",
]);
const TIMESTAMPS = new Set(["signed_up_at", "last_seen_at"]);
const CUSTOM_PREFIX = "custom_attributes.";

/**
 * The JSON body for POST/PUT /contacts from a record's mapped fields. `dates` names the custom
 * attributes of type date (from discover): Intercom takes those as Unix seconds too.
 */
export function contactBody(
  fields: CanonicalRow,
  role: string | undefined,
  dates: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const body: Record<string, unknown> = role ? { role } : {};
  const custom: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const bare = name.startsWith(CUSTOM_PREFIX) ? name.slice(CUSTOM_PREFIX.length) : name;
    if (!STANDARD.has(name) && dates.has(bare)) custom[bare] = unixSeconds(value);
    else if (name.startsWith(CUSTOM_PREFIX)) custom[bare] = customValue(value);
    else if (TIMESTAMPS.has(name)) body[name] = unixSeconds(value);
    else if (STANDARD.has(name)) body[name] = value;
    else custom[name] = customValue(value);
  }
  if (Object.keys(custom).length > 0) body.custom_attributes = custom;
  return body;
}

/** Custom attributes are strings, numbers, booleans or null. */
function customValue(value: CanonicalValue): CanonicalValue {
  return value !== null && typeof value === "object" ? JSON.stringify(value) : value;
}

/** Intercom dates are Unix seconds; ISO strings and dates are converted. */
function unixSeconds(value: CanonicalValue): CanonicalValue {
  if (typeof value !== "string") return value;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : value;
}
