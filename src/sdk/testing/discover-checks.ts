import type { DiscoveredObject } from "../destination.ts";
import { isFieldType } from "../field-types.ts";

/**
 * What is wrong with a `discover` answer for a destination that writes `object`: it must be a
 * list that describes `object` (by name or alias), each field named, typed in the SDK's
 * vocabulary (or untyped), with `required`, `enum` and `maxLength` of the right shapes.
 */
export function discoverProblems(answer: unknown, object: string): string[] {
  if (!Array.isArray(answer)) return ["discover did not return an array of objects"];
  const problems: string[] = [];
  const objects = answer as DiscoveredObject[];
  const names = (item: DiscoveredObject) => [item.name, ...(item.aliases ?? [])].map((name) => name.toLowerCase());
  const found = objects.find((item) => names(item).includes(object.toLowerCase()));
  if (!found) problems.push(`discover({ objects: ["${object}"] }) did not describe "${object}"`);
  for (const item of objects) {
    if (typeof item?.name !== "string" || item.name === "") problems.push("an object without a name");
    if (!Array.isArray(item?.fields)) {
      problems.push(`object ${item?.name}: fields is not an array`);
      continue;
    }
    for (const field of item.fields) {
      const at = `${item.name}.${field?.name}`;
      if (typeof field?.name !== "string" || field.name === "") problems.push(`${item.name}: a field without a name`);
      if (field.type !== undefined && !isFieldType(field.type))
        problems.push(`${at}: type ${JSON.stringify(field.type)} is not a FieldType (put your own name in nativeType)`);
      if (field.required !== undefined && typeof field.required !== "boolean")
        problems.push(`${at}: required is not a boolean`);
      if (field.enum !== undefined && !(Array.isArray(field.enum) && field.enum.every((v) => typeof v === "string")))
        problems.push(`${at}: enum is not a list of strings`);
      if (field.maxLength !== undefined && !(Number.isInteger(field.maxLength) && field.maxLength > 0))
        problems.push(`${at}: maxLength is not a positive integer`);
    }
  }
  return problems;
}
