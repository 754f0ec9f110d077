import type { DestinationContext, DiscoveredField, DiscoveredObject, DiscoverRequest, FieldType } from "syncline/sdk";
import { dataPath, type SalesforceConfig } from "./config.ts";
import { salesforceRequest } from "./http.ts";

export interface DescribeField {
  name: string;
  type?: string;
  length?: number;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  defaultedOnCreate?: boolean;
  restrictedPicklist?: boolean;
  picklistValues?: Array<{ value?: string; active?: boolean }>;
}

interface Describe {
  name: string;
  fields?: DescribeField[];
}

const OBJECTS = ["Account", "Contact", "Lead"];

/** Salesforce's field types (describe's `type`) in the SDK's vocabulary. */
const TYPES: Record<string, FieldType> = {
  string: "string",
  textarea: "string",
  email: "string",
  phone: "string",
  url: "string",
  picklist: "string",
  multipicklist: "string",
  combobox: "string",
  reference: "string",
  id: "string",
  encryptedstring: "string",
  time: "string",
  double: "number",
  currency: "number",
  percent: "number",
  int: "integer",
  long: "integer",
  boolean: "boolean",
  date: "date",
  datetime: "datetime",
};

/**
 * Writable fields from describe calls: of the objects the request names (any sObject, custom
 * ones included), else of the common ones.
 */
export async function discoverObjects(
  ctx: DestinationContext<SalesforceConfig>,
  request?: DiscoverRequest,
): Promise<DiscoveredObject[]> {
  const objects: DiscoveredObject[] = [];
  for (const name of request?.objects ?? OBJECTS) {
    const describe = (await salesforceRequest(
      ctx,
      "GET",
      dataPath(ctx.config, `sobjects/${encodeURIComponent(name)}/describe`),
    )) as Describe;
    objects.push({
      name: describe.name,
      fields: (describe.fields ?? []).filter((field) => field.createable || field.updateable).map(toField),
    });
  }
  return objects;
}

/**
 * One describe field as a field: required when a record cannot be created without it; a
 * restricted picklist lists its active values; text fields give their length.
 */
export function toField(field: DescribeField): DiscoveredField {
  const type = field.type ? TYPES[field.type] : undefined;
  const values =
    field.type === "picklist" && field.restrictedPicklist === true
      ? (field.picklistValues ?? []).filter((v) => v.active !== false && v.value).map((v) => v.value!)
      : [];
  const textual = type === "string" && field.type !== "multipicklist" && field.type !== "picklist";
  return {
    name: field.name,
    ...(type ? { type } : {}),
    ...(field.type ? { nativeType: field.type } : {}),
    required: field.createable === true && field.nillable === false && field.defaultedOnCreate !== true,
    ...(values.length > 0 ? { enum: values } : {}),
    ...(textual && field.length && field.length > 0 ? { maxLength: field.length } : {}),
  };
}
