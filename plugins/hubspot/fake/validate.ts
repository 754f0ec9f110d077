import type { HubSpotStore } from "./store.ts";
import { typedError } from "./typed.ts";

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** HubSpot-style validation of one record's properties: a message when it is refused. */
export function invalidReason(
  store: HubSpotStore,
  object: string,
  properties: Record<string, string>,
  creating: boolean,
  custom?: (object: string, properties: Record<string, string>) => string | undefined,
): string | undefined {
  const email = properties.email;
  if (object === "contacts" && email !== undefined && email !== "" && !EMAIL.test(email.trim())) {
    return `Property values were not valid: [{"isValid":false,"message":"Email address ${email} is invalid","error":"INVALID_EMAIL","name":"email"}]`;
  }
  const defined = store.types[object]?.properties ?? {};
  const typed = Object.entries(properties)
    .map(([name, value]) => (defined[name] ? typedError(name, defined[name], value) : undefined))
    .filter((error): error is string => error !== undefined);
  if (typed.length > 0) return `Property values were not valid: [${typed.join(",")}]`;
  if (creating) {
    const missing = (store.types[object]?.required ?? []).filter((name) => !properties[name]);
    if (missing.length > 0) {
      return `Property values were not valid: [${missing
        .map((name) => `{"isValid":false,"message":"${name} is required","error":"REQUIRED_FIELD","name":"${name}"}`)
        .join(",")}]`;
    }
  }
  return custom?.(object, properties);
}

/** Property values as HubSpot stores them: text, "" for null. */
export function toStrings(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const properties: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value)) {
    properties[name] =
      raw === null || raw === undefined ? "" : typeof raw === "object" ? JSON.stringify(raw) : String(raw);
  }
  return properties;
}
