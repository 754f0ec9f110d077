import type { DestinationContext, DiscoveredField, DiscoveredObject, DiscoverRequest, FieldType } from "syncline/sdk";
import type { HubSpotConfig } from "./config.ts";
import { hubspotApi } from "./http.ts";

export interface HubSpotProperty {
  name: string;
  type?: string;
  fieldType?: string;
  hasUniqueValue?: boolean;
  options?: Array<{ value?: string; hidden?: boolean }>;
  modificationMetadata?: { readOnlyValue?: boolean };
}

interface HubSpotSchema {
  name?: string;
  fullyQualifiedName?: string;
  objectTypeId?: string;
  requiredProperties?: string[];
  properties?: HubSpotProperty[];
}

const STANDARD_OBJECTS: ReadonlyArray<[name: string, objectTypeId: string]> = [
  ["contacts", "0-1"],
  ["companies", "0-2"],
  ["deals", "0-3"],
];

/** HubSpot's property types in the SDK's vocabulary (enumerations are strings with options). */
const TYPES: Record<string, FieldType> = {
  string: "string",
  phone_number: "string",
  enumeration: "string",
  number: "number",
  bool: "boolean",
  date: "date",
  datetime: "datetime",
  json: "json",
};

/**
 * Standard objects and custom object schemas, with their writable properties: one call per
 * standard object and one for all custom ones, or only those the request names.
 */
export async function discoverObjects(
  ctx: DestinationContext<HubSpotConfig>,
  request?: DiscoverRequest,
): Promise<DiscoveredObject[]> {
  const wanted = request?.objects;
  const standard = STANDARD_OBJECTS.filter(
    ([name, id]) => !wanted || wanted.some((object) => object.toLowerCase() === name || object === id),
  );
  const objects: DiscoveredObject[] = [];
  for (const [name, objectTypeId] of standard) {
    const body = (await hubspotApi.request(ctx, "GET", `crm/v3/properties/${name}`)) as { results?: HubSpotProperty[] };
    objects.push({ name, aliases: [objectTypeId], fields: writable(body.results ?? [], []) });
  }
  if (wanted && standard.length === wanted.length) return objects;
  const schemas = await hubspotApi.call(ctx, "GET", "crm/v3/schemas");
  if (schemas.ok) {
    for (const schema of (schemas.body as { results?: HubSpotSchema[] })?.results ?? []) {
      if (!schema.objectTypeId) continue;
      const aliases = [schema.name, schema.fullyQualifiedName].filter((alias): alias is string => !!alias);
      const fields = writable(schema.properties ?? [], schema.requiredProperties ?? []);
      objects.push({ name: schema.objectTypeId, aliases, fields });
    }
  } else {
    ctx.logger.info({ status: schemas.status }, "hubspot: custom object schemas are not readable with this token");
  }
  return objects;
}

function writable(properties: HubSpotProperty[], required: readonly string[]): DiscoveredField[] {
  return properties
    .filter((property) => property.modificationMetadata?.readOnlyValue !== true)
    .map((property) => toField(property, required.includes(property.name)));
}

/** One property as a field: a single-select enumeration lists its options; a multi-select (checkbox) does not. */
export function toField(property: HubSpotProperty, required: boolean): DiscoveredField {
  const type = property.type ? TYPES[property.type] : undefined;
  const options =
    property.type === "enumeration" && property.fieldType !== "checkbox"
      ? (property.options ?? []).map((option) => option.value).filter((value): value is string => !!value)
      : [];
  return {
    name: property.name,
    ...(type ? { type } : {}),
    ...(property.type ? { nativeType: property.type } : {}),
    ...(required ? { required } : {}),
    ...(options.length > 0 ? { enum: options } : {}),
  };
}
