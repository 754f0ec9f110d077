import type { DestinationContext, DiscoveredObject } from "syncline/sdk";
import { dataPath, type SalesforceConfig } from "./config.ts";
import { salesforceRequest } from "./http.ts";

interface Describe {
  name: string;
  fields?: Array<{
    name: string;
    type?: string;
    nillable?: boolean;
    createable?: boolean;
    updateable?: boolean;
    defaultedOnCreate?: boolean;
  }>;
}

const OBJECTS = ["Account", "Contact", "Lead"];

/** The common objects' writable fields, from their describe calls. */
export async function discoverObjects(ctx: DestinationContext<SalesforceConfig>): Promise<DiscoveredObject[]> {
  const objects: DiscoveredObject[] = [];
  for (const name of OBJECTS) {
    const describe = (await salesforceRequest(
      ctx,
      "GET",
      dataPath(ctx.config, `sobjects/${name}/describe`),
    )) as Describe;
    objects.push({
      name: describe.name,
      fields: (describe.fields ?? [])
        .filter((field) => field.createable || field.updateable)
        .map((field) => ({
          name: field.name,
          ...(field.type ? { type: field.type } : {}),
          required: field.createable === true && field.nillable === false && field.defaultedOnCreate !== true,
        })),
    });
  }
  return objects;
}
