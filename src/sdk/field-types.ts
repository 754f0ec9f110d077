/**
 * The field types a destination reports from `discover`, in one vocabulary shared by every
 * plugin, so that the engine can check a mapping and coerce values the same way for all of
 * them. A plugin maps its own type names onto these (and keeps its own in `nativeType`, for
 * messages); a field whose type fits none is reported without `type` and is not checked.
 *
 * - string: text (emails, phones, ids, URLs, multi-line text)
 * - number: any number (floats, decimals, currency, percent)
 * - integer: whole numbers only
 * - boolean: true or false
 * - date: a calendar day, sent as "YYYY-MM-DD"
 * - datetime: an instant, sent as UTC ISO-8601 ("2024-01-02T03:04:05Z")
 * - json: any value (objects, arrays); nothing is checked or coerced
 */
export type FieldType = "string" | "number" | "integer" | "boolean" | "date" | "datetime" | "json";

export const FIELD_TYPES: readonly FieldType[] = ["string", "number", "integer", "boolean", "date", "datetime", "json"];

export interface DiscoveredField {
  name: string;
  /** The field's type in Syncline's vocabulary; omitted when none fits (the field is then not checked). */
  type?: FieldType | undefined;
  /** The destination's own type name (`picklist`, `enumeration`, `double`), for messages. */
  nativeType?: string | undefined;
  /** The destination refuses to create a record without it (insert and upsert must map it). */
  required?: boolean | undefined;
  /** The only values a string field accepts (a restricted picklist, an enumeration's options). */
  enum?: readonly string[] | undefined;
  /** The longest text a string field accepts, in characters. */
  maxLength?: number | undefined;
}

export function isFieldType(value: unknown): value is FieldType {
  return typeof value === "string" && (FIELD_TYPES as readonly string[]).includes(value);
}
