import type { BrazeFakeOptions } from "./options.ts";
import type { Identifier, UserStore } from "./store.ts";
import { isObject, parseAttributes } from "./validate.ts";

export interface Answer {
  status: number;
  body: unknown;
  records: number;
  refused?: string | undefined;
}

export const NO_DATA = "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.";

export function brazeMessage(status: number, message: string, refused?: string): Answer {
  return { status, body: { message }, records: 0, refused };
}

/** POST /users/track: attribute objects applied one by one; refused ones named by index. */
export function track(store: UserStore, options: BrazeFakeOptions, body: unknown): Answer {
  if (!isObject(body)) return brazeMessage(400, "Invalid JSON in request body");
  const attributes = arrayOf(body.attributes);
  const others = arrayOf(body.events).length + arrayOf(body.purchases).length;
  const total = attributes.length + others;
  const max = options.maxObjects ?? 75;
  if (total > max) {
    return {
      ...brazeMessage(
        400,
        `Too many objects: at most ${max} attributes, events and purchases combined per request`,
        "too_large",
      ),
      records: attributes.length,
    };
  }
  if (total === 0) return brazeMessage(400, NO_DATA);
  const errors: Array<{ type: string; input_array: "attributes"; index: number }> = [];
  let processed = 0;
  attributes.forEach((value, index) => {
    const parsed = parseAttributes(value, options);
    if (typeof parsed === "string") errors.push({ type: parsed, input_array: "attributes", index });
    else {
      store.track(parsed.id, parsed.attributes, parsed.updateOnly);
      processed++;
    }
  });
  if (processed === 0 && others === 0) return { status: 400, body: { message: NO_DATA, errors }, records: total };
  const answer: Record<string, unknown> = { message: "success" };
  if (attributes.length > 0) answer.attributes_processed = processed;
  if (errors.length > 0) answer.errors = errors;
  return { status: 201, body: answer, records: total };
}

const DELETE_KINDS = ["external_ids", "user_aliases", "braze_ids"] as const;

/** POST /users/delete: one kind of identifier, at most 50; unknown users are skipped. */
export function remove(store: UserStore, options: BrazeFakeOptions, body: unknown): Answer {
  if (!isObject(body)) return brazeMessage(400, "Invalid JSON in request body");
  const kinds = DELETE_KINDS.filter((kind) => body[kind] !== undefined);
  if (kinds.length !== 1) {
    return brazeMessage(400, "Exactly one of external_ids, user_aliases or braze_ids must be provided");
  }
  const kind = kinds[0] as (typeof DELETE_KINDS)[number];
  const values = arrayOf(body[kind]);
  const max = options.maxDeletes ?? 50;
  if (values.length > max) {
    return {
      ...brazeMessage(400, `Up to ${max} ${kind} can be deleted per request`, "too_large"),
      records: values.length,
    };
  }
  const ids: Identifier[] = [];
  for (const value of values) {
    const id = deleteIdentifier(kind, value);
    if (!id)
      return brazeMessage(400, `${kind} must hold ${kind === "user_aliases" ? "user alias objects" : "strings"}`);
    ids.push(id);
  }
  const deleted = ids.filter((id) => store.delete(id)).length;
  return { status: 201, body: { deleted, message: "success" }, records: values.length };
}

function deleteIdentifier(kind: (typeof DELETE_KINDS)[number], value: unknown): Identifier | undefined {
  if (kind === "user_aliases") {
    if (!isObject(value) || typeof value.alias_name !== "string" || typeof value.alias_label !== "string")
      return undefined;
    return { kind: "user_alias", value: { alias_name: value.alias_name, alias_label: value.alias_label } };
  }
  if (typeof value !== "string") return undefined;
  return kind === "external_ids" ? { kind: "external_id", value } : { kind: "braze_id", value };
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
