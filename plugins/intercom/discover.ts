import type { DestinationContext, DiscoveredObject, FieldType } from "syncline/sdk";
import type { IntercomConfig } from "./config.ts";
import { intercomRequest } from "./http.ts";

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

/** Contacts, with their writable standard and custom attributes. */
export async function discoverObjects(ctx: DestinationContext<IntercomConfig>): Promise<DiscoveredObject[]> {
  const body = (await intercomRequest(ctx, "GET", "data_attributes?model=contact")) as { data?: DataAttribute[] };
  const fields = (body?.data ?? [])
    .filter((attribute) => attribute.api_writable !== false)
    .map((attribute) => {
      const type = attribute.data_type ? TYPES[attribute.data_type] : undefined;
      return {
        name: attribute.custom ? (attribute.full_name ?? `custom_attributes.${attribute.name}`) : attribute.name,
        ...(type ? { type } : {}),
        ...(attribute.data_type ? { nativeType: attribute.data_type } : {}),
      };
    });
  return [{ name: "contacts", fields }];
}
