import type { BrazeFakeOptions } from "./options.ts";
import type { Identifier } from "./store.ts";

export interface ParsedObject {
  id: Identifier;
  attributes: Record<string, unknown>;
  updateOnly: boolean;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SUBSCRIPTION = new Set(["opted_in", "subscribed", "unsubscribed"]);
const GENDER = new Set(["M", "F", "O", "N", "P"]);
const IDENTIFIERS = ["external_id", "user_alias", "braze_id"] as const;

/** One `attributes[]` object checked as Braze checks it: the parsed object, or the error `type`. */
export function parseAttributes(value: unknown, options: BrazeFakeOptions): ParsedObject | string {
  if (!isObject(value)) return "Attributes must be an object";
  const present = IDENTIFIERS.filter((name) => value[name] !== undefined && value[name] !== null);
  if (present.length !== 1) return "Exactly one of 'external_id', 'user_alias' or 'braze_id' is required";
  const id = identifier(value, present[0] as (typeof IDENTIFIERS)[number]);
  if (typeof id === "string") return id;
  const {
    external_id: _e,
    user_alias: _a,
    braze_id: _b,
    _update_existing_only: updateOnly,
    ...attributes
  } = value as Record<string, unknown>;
  if (updateOnly !== undefined && typeof updateOnly !== "boolean") return "'_update_existing_only' is not valid";
  const invalid = Object.entries(attributes).find(([name, field]) => !validField(name, field));
  if (invalid) return `'${invalid[0]}' is not valid`;
  const extra = options.validate?.(value);
  if (extra) return extra;
  // Braze puts aliases in update-only mode unless the object says otherwise.
  return { id, attributes, updateOnly: updateOnly ?? id.kind === "user_alias" };
}

function identifier(value: Record<string, unknown>, kind: (typeof IDENTIFIERS)[number]): Identifier | string {
  const raw = value[kind];
  if (kind === "user_alias") {
    if (!isObject(raw) || typeof raw.alias_name !== "string" || typeof raw.alias_label !== "string") {
      return "'user_alias' must have string 'alias_name' and 'alias_label'";
    }
    return { kind, value: { alias_name: raw.alias_name, alias_label: raw.alias_label } };
  }
  if (typeof raw !== "string" || raw === "") return `'${kind}' is not valid`;
  return { kind, value: raw };
}

/** Standard profile fields with a fixed format; custom attributes take any JSON value. */
function validField(name: string, value: unknown): boolean {
  if (value === null) return true;
  switch (name) {
    case "email":
      return typeof value === "string" && EMAIL.test(value);
    case "dob":
      return typeof value === "string" && DATE.test(value);
    case "gender":
      return typeof value === "string" && GENDER.has(value.toUpperCase());
    case "email_subscribe":
    case "push_subscribe":
      return typeof value === "string" && SUBSCRIPTION.has(value);
    default:
      return !name.startsWith("$");
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
