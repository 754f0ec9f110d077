import type { DestinationContext, DiscoveredObject } from "syncline/sdk";
import type { HubSpotConfig } from "./config.ts";
import { hubspotCall, hubspotGet } from "./http.ts";

interface HubSpotProperty {
  name: string;
  type?: string;
  hasUniqueValue?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean };
}

const STANDARD_OBJECTS = ["contacts", "companies", "deals"];

/** Standard objects and custom object schemas, with their writable properties. */
export async function discoverObjects(ctx: DestinationContext<HubSpotConfig>): Promise<DiscoveredObject[]> {
  const objects: DiscoveredObject[] = [];
  for (const name of STANDARD_OBJECTS) {
    const body = (await hubspotGet(ctx, `crm/v3/properties/${name}`)) as { results?: HubSpotProperty[] };
    objects.push({ name, fields: writable(body.results ?? []) });
  }
  const schemas = await hubspotCall(ctx, "GET", "crm/v3/schemas");
  if (schemas.ok) {
    const results = (schemas.body as { results?: Array<{ objectTypeId?: string; properties?: HubSpotProperty[] }> })
      ?.results;
    for (const schema of results ?? []) {
      if (schema.objectTypeId) objects.push({ name: schema.objectTypeId, fields: writable(schema.properties ?? []) });
    }
  } else {
    ctx.logger.info({ status: schemas.status }, "hubspot: custom object schemas are not readable with this token");
  }
  return objects;
}

function writable(properties: HubSpotProperty[]): DiscoveredObject["fields"] {
  return properties
    .filter((property) => property.modificationMetadata?.readOnlyValue !== true)
    .map((property) => ({ name: property.name, ...(property.type ? { type: property.type } : {}) }));
}
