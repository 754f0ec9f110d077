import type { DestinationContext, DiscoveredObject } from "syncline/sdk";
import type { IntercomConfig } from "./config.ts";
import { intercomRequest } from "./http.ts";

interface DataAttribute {
  name: string;
  full_name?: string;
  data_type?: string;
  custom?: boolean;
  api_writable?: boolean;
}

/** Contacts, with their writable standard and custom attributes. */
export async function discoverObjects(ctx: DestinationContext<IntercomConfig>): Promise<DiscoveredObject[]> {
  const body = (await intercomRequest(ctx, "GET", "data_attributes?model=contact")) as { data?: DataAttribute[] };
  const fields = (body?.data ?? [])
    .filter((attribute) => attribute.api_writable !== false)
    .map((attribute) => ({
      name: attribute.custom ? (attribute.full_name ?? `custom_attributes.${attribute.name}`) : attribute.name,
      ...(attribute.data_type ? { type: attribute.data_type } : {}),
    }));
  return [{ name: "contacts", fields }];
}
