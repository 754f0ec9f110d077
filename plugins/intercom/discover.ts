import type { DestinationContext, DiscoveredField, DiscoveredObject, FieldType } from "syncline/sdk";
import type { IntercomConfig } from "./config.ts";
import { intercomApi } from "./http.ts";

interface DataAttribute {
  name: string;
  full_name?: string;
  data_type?: string;
  custom?: boolean;
  api_writable?: boolean;
  options?: string[];
}

/**
 * Intercom's data types in the SDK's vocabulary. Its dates are instants (Unix seconds on the
 * wire, which the connector converts from ISO text).
 */
const TYPES: Record<string, FieldType> = {
  string: "string",
  integer: "integer",
  float: "number",
  boolean: "boolean",
  date: "datetime",
};

/**
 * Contacts, with their writable standard and custom attributes. A custom attribute is listed
 * under both names a mapping may use: `custom_attributes.plan` and plain `plan` (the connector
 * sends any name that is not a standard attribute as a custom one).
 */
export async function discoverObjects(ctx: DestinationContext<IntercomConfig>): Promise<DiscoveredObject[]> {
  const body = (await intercomApi.request(ctx, "GET", "data_attributes?model=contact")) as { data?: DataAttribute[] };
  const writable = (body?.data ?? []).filter((attribute) => attribute.api_writable !== false);
  const standard = new Set(writable.filter((attribute) => !attribute.custom).map((attribute) => attribute.name));
  const fields: DiscoveredField[] = [];
  for (const attribute of writable) {
    const type = attribute.data_type ? TYPES[attribute.data_type] : undefined;
    const typed = { ...(type ? { type } : {}), ...(attribute.data_type ? { nativeType: attribute.data_type } : {}) };
    if (!attribute.custom) {
      fields.push({ name: attribute.name, ...typed });
      continue;
    }
    fields.push({ name: attribute.full_name ?? `custom_attributes.${attribute.name}`, ...typed });
    if (!standard.has(attribute.name)) fields.push({ name: attribute.name, ...typed });
  }
  // The connector sends these as Unix seconds (body.ts): kept for this destination's writes.
  const dates = writable.filter((attribute) => attribute.custom && attribute.data_type === "date");
  ctx.state.set(DATE_ATTRIBUTES, new Set(dates.map((attribute) => attribute.name)));
  return [{ name: "contacts", fields }];
}

/** ctx.state key: the custom attributes of type date, as last discovered. */
export const DATE_ATTRIBUTES = "intercom.dateAttributes";
