import type { FakeFieldDescribe, FakeRecordError } from "./options.ts";

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Salesforce's check of one value against its field's describe, as it answers per record:
 * a value of the wrong type, a restricted picklist's unknown value, text over the field's
 * length. Values arrive as JSON (collections) or CSV text (Bulk API), so numeric and boolean
 * text is taken. Null and "" clear the field.
 */
export function typedError(field: string, describe: FakeFieldDescribe, value: unknown): FakeRecordError | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  const wrongType = (): FakeRecordError => ({
    statusCode: "INVALID_TYPE_ON_FIELD_IN_RECORD",
    message: `${field}: value not of required type: ${text}`,
    fields: [field],
  });
  switch (describe.type) {
    case "int":
      return (typeof value === "number" && Number.isInteger(value)) || INTEGER.test(text) ? undefined : wrongType();
    case "double":
    case "currency":
    case "percent":
      return typeof value === "number" || NUMBER.test(text) ? undefined : wrongType();
    case "boolean":
      return typeof value === "boolean" || text === "true" || text === "false" ? undefined : wrongType();
    case "date":
      return DATE.test(text) ? undefined : wrongType();
    case "datetime":
      return DATETIME.test(text) && Number.isFinite(Date.parse(text)) ? undefined : wrongType();
    case "picklist":
      return describe.restrictedPicklist && !(describe.picklistValues ?? []).includes(text)
        ? {
            statusCode: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            message: `${field}: bad value for restricted picklist field: ${text}`,
            fields: [field],
          }
        : undefined;
    default:
      return describe.length && [...text].length > describe.length
        ? {
            statusCode: "STRING_TOO_LONG",
            message: `${field}: data value too large: ${text.slice(0, 40)} (max length=${describe.length})`,
            fields: [field],
          }
        : undefined;
  }
}
