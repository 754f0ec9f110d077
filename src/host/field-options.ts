import type { ResolvedSync } from "../config/resolved.ts";
import type { SyncSpec } from "../engine/index.ts";
import type { Capabilities, DestinationDefinition } from "../sdk/destination.ts";

interface Destination {
  name: string;
  type: string;
  plugin: DestinationDefinition<unknown>;
  capabilities: Capabilities;
}

/**
 * A sync's `sendChangedFieldsOnly` and `nulls`, resolved. Changed fields only is refused (a
 * problem at `syncs.<name>.sendChangedFieldsOnly`) when the destination's updates are not
 * partial — a field left out would be cleared — and in warehouse diff mode, whose snapshot
 * (in the warehouse) keeps no field hashes.
 */
export function resolveFieldOptions(
  sync: ResolvedSync,
  name: string,
  destination: Destination | undefined,
  options: Record<string, unknown>,
  problems: string[],
): Pick<SyncSpec, "changedFieldsOnly" | "nulls"> {
  const { nulls } = sync;
  if (!sync.sendChangedFieldsOnly || !destination) return { nulls };
  const at = `syncs.${name}.sendChangedFieldsOnly`;
  if (!destination.capabilities.partialUpdate) {
    problems.push(
      `${at}: destination "${destination.name}" (${destination.type}) replaces whole records on update, so a field left out would be cleared — remove sendChangedFieldsOnly, or use a destination with partial updates (hubspot, salesforce, intercom, braze)`,
    );
    return { nulls };
  }
  const diff = typeof sync.diff === "string" ? sync.diff : sync.diff?.mode;
  if (diff === "warehouse") {
    problems.push(
      `${at}: not available with diff: warehouse (the warehouse snapshot keeps one hash per record, not per field) — remove sendChangedFieldsOnly, or use diff: local`,
    );
    return { nulls };
  }
  const fromKey = Object.entries(sync.mapping)
    .filter(([, column]) => sync.primaryKey.includes(column))
    .map(([field]) => field);
  const identifying = destination.plugin.identifyingFields?.(sync.object, options) ?? [];
  return { nulls, changedFieldsOnly: { alwaysSend: [...new Set([...fromKey, ...identifying])] } };
}
