import type { CanonicalValue, DestinationRecord, Outcome } from "syncline/sdk";
import { reject } from "syncline/sdk";
import type { Identity } from "./config.ts";

/** Braze stores string attribute values of up to 255 characters. */
export const MAX_STRING = 255;

export type AttributeObject = Record<string, unknown>;

/** An attribute object for `/users/track`, or the rejection of a record Braze could not hold. */
export type Built = { object: AttributeObject } | { outcome: Outcome };

/**
 * The attribute object for one record: its identifier (external_id, or user_alias with the
 * sync's label), `_update_existing_only` (false creates users; an alias must say so explicitly,
 * as Braze defaults aliases to update-only) and every other mapped field as an attribute.
 */
export function attributeObject(record: DestinationRecord, identity: Identity, updateOnly: boolean): Built {
  const id = record.fields[identity.field];
  if (id === null || id === undefined || id === "" || typeof id === "object") {
    return {
      outcome: reject(record, {
        code: "missing_id",
        message: `the record has no ${identity.field} to name its Braze user by: map a non-empty ${identity.field}`,
      }),
    };
  }
  const object: AttributeObject =
    identity.kind === "external_id"
      ? { external_id: String(id) }
      : { user_alias: { alias_name: String(id), alias_label: identity.label } };
  object._update_existing_only = updateOnly;
  for (const [name, value] of Object.entries(record.fields)) {
    if (name === identity.field) continue;
    const problem = unholdable(value);
    if (problem) return { outcome: reject(record, { code: "invalid_value", message: `${name}: ${problem}` }) };
    object[name] = value;
  }
  return { object };
}

/** Why Braze cannot hold `value` as it is, if it cannot (rather than truncate it silently). */
function unholdable(value: CanonicalValue): string | undefined {
  if (typeof value === "string" && value.length > MAX_STRING) {
    return `${value.length} characters, more than the ${MAX_STRING} Braze keeps of a string attribute; shorten it in the model`;
  }
  return undefined;
}
