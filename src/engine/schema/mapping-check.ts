import { suggest } from "../../config/issues.ts";
import type { DiscoveredObject } from "../../sdk/destination.ts";
import { type DiscoveredField, isFieldType } from "../../sdk/field-types.ts";
import type { Column } from "../../sdk/source.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { columnKind, compatibility } from "./column-kind.ts";

export interface MappingReport {
  /** What makes runs fail or reject every record: the sync's check fails on these. */
  problems: string[];
  /** Conversions a run makes (and the values it would refuse): for information. */
  notes: string[];
}

/** A field of the object by name: exactly, else ignoring case (Salesforce's API names are case-blind). */
export function fieldLookup(object: DiscoveredObject): (name: string) => DiscoveredField | undefined {
  const exact = new Map(object.fields.map((field) => [field.name, field]));
  const folded = new Map(object.fields.map((field) => [field.name.toLowerCase(), field]));
  return (name) => exact.get(name) ?? folded.get(name.toLowerCase());
}

/** The discovered object a sync's `object` names (by name or alias, exactly, else ignoring case). */
export function findObject(objects: readonly DiscoveredObject[], name: string): DiscoveredObject | undefined {
  const names = (object: DiscoveredObject) => [object.name, ...(object.aliases ?? [])];
  return (
    objects.find((object) => names(object).includes(name)) ??
    objects.find((object) => names(object).some((candidate) => candidate.toLowerCase() === name.toLowerCase()))
  );
}

/**
 * A sync's mapping against the destination's description of its object: every mapped field
 * must exist (else the closest name is suggested), each model column's type must reach its
 * field's type, and an insert or upsert must map every field the destination requires.
 * `columns` (the model's, when read) enables the type checks.
 */
export function checkMapping(
  spec: SyncSpec,
  destination: string,
  object: DiscoveredObject,
  columns: readonly Column[] | undefined,
): MappingReport {
  const report: MappingReport = { problems: [], notes: [] };
  const lookup = fieldLookup(object);
  const names = object.fields.map((field) => field.name);
  const columnTypes = new Map((columns ?? []).map((column) => [column.name.toLowerCase(), column.type]));
  for (const [name, column] of spec.mapping) {
    const path = `syncs.${spec.name}.mapping.${name}`;
    const field = lookup(name);
    if (!field) {
      const hint = suggest(name, names);
      if (!object.extraFields) {
        report.problems.push(
          `${path}: "${name}" is not a writable field of ${object.name} in ${destination}${hint ? ` — did you mean "${hint}"?` : ""} (fix the field name, or create the field in ${destination})`,
        );
      } else if (hint) {
        report.notes.push(
          `${path}: "${name}" is not one of ${object.name}'s standard fields — did you mean "${hint}"? (${destination} takes it as a custom field)`,
        );
      }
      continue;
    }
    const warehouseType = columnTypes.get(column.toLowerCase());
    const kind = warehouseType === undefined ? undefined : columnKind(warehouseType);
    if (!kind || !isFieldType(field.type)) continue;
    const takes = `${field.type}${field.nativeType && field.nativeType !== field.type ? ` (${field.nativeType})` : ""}`;
    const from = `column "${column}" (${warehouseType})`;
    switch (compatibility(kind, field.type)) {
      case "incompatible":
        report.problems.push(
          `${path}: ${from} cannot be sent to "${field.name}", which takes ${takes} (map a column of that type, or cast it in the model)`,
        );
        break;
      case "converted":
        report.notes.push(
          `${path}: ${from} is converted to ${takes}; a record whose value does not convert is rejected before sending`,
        );
        break;
    }
  }
  if (spec.mode !== "update") {
    const mapped = new Set(spec.mapping.map(([name]) => lookup(name)?.name ?? name));
    for (const field of object.fields) {
      if (field.required && !mapped.has(field.name)) {
        report.problems.push(
          `syncs.${spec.name}.mapping: ${object.name} in ${destination} requires "${field.name}", which is not mapped (map a column to it: ${spec.mode === "mirror" ? "a mirror" : `an ${spec.mode}`} creates records)`,
        );
      }
    }
  }
  return report;
}
