import type { FakeProperty } from "./options.ts";

const DAY_MS = 86_400_000;

/**
 * HubSpot's validation of one typed property value: the error entry it answers, or undefined
 * when it takes the value. An empty string clears any property.
 */
export function typedError(name: string, property: FakeProperty, value: string): string | undefined {
  if (value === "") return undefined;
  const entry = (error: string, message: string) =>
    `{"isValid":false,"message":${JSON.stringify(message)},"error":"${error}","name":"${name}"}`;
  switch (property.type) {
    case "number":
      return Number.isFinite(Number(value)) && value.trim() !== ""
        ? undefined
        : entry("INVALID_FLOAT", `${value} was not a valid number.`);
    case "bool":
      return value === "true" || value === "false"
        ? undefined
        : entry("INVALID_BOOLEAN", `${value} was not a valid boolean (true or false).`);
    case "date": {
      const ms = epochMs(value);
      if (ms === undefined) return entry("INVALID_DATE", `${value} is not a valid date.`);
      return ms % DAY_MS === 0
        ? undefined
        : entry("INVALID_DATE", `${value} is not at midnight UTC; date properties take a date only.`);
    }
    case "datetime":
      return epochMs(value) === undefined ? entry("INVALID_DATETIME", `${value} is not a valid datetime.`) : undefined;
    case "enumeration": {
      const options = property.options ?? [];
      const chosen = property.fieldType === "checkbox" ? value.split(";") : [value];
      const wrong = chosen.find((option) => !options.includes(option));
      return wrong === undefined
        ? undefined
        : entry("INVALID_OPTION", `${wrong} was not one of the allowed options: [${options.join(", ")}]`);
    }
    default:
      return undefined;
  }
}

/** Epoch milliseconds, or an ISO-8601 date or instant (what HubSpot takes for date and datetime properties). */
function epochMs(value: string): number | undefined {
  if (/^-?\d+$/.test(value)) return Number(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return undefined;
  const ms = Date.parse(/T/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? `${value}Z` : value);
  return Number.isFinite(ms) ? ms : undefined;
}
