import type { DiscoveredObject } from "../../sdk/destination.ts";
import { classify } from "../../sdk/errors/classify.ts";
import type { Logger } from "../../sdk/logger.ts";
import type { Column } from "../../sdk/source.ts";
import { type SourceHandle, sourceContext } from "../shared/source-handle.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import type { DestinationHandle } from "../sink/destination-handle.ts";
import { discoverObjects, validates } from "./discover.ts";
import { checkMapping, findObject, type MappingReport } from "./mapping-check.ts";

export interface MappingSync {
  spec: SyncSpec;
  source: SourceHandle;
  destination: DestinationHandle;
}

/** Discover answers by destination and object, so that `check` describes each once for all its syncs. */
export type DiscoverCache = Map<string, Promise<DiscoveredObject[]>>;

/**
 * What `check` and `plan` say about a sync's mapping: undefined when the destination cannot
 * describe its fields (or the sync turned validation off). A destination that fails to
 * describe them, or does not know the object, leaves the mapping unchecked — said in a note,
 * never a failure: the destination's own check reports a connection problem.
 */
export async function mappingReport(
  sync: MappingSync,
  logger: Logger,
  signal: AbortSignal,
  cache: DiscoverCache = new Map(),
): Promise<(MappingReport & { object?: DiscoveredObject }) | undefined> {
  const { spec, destination } = sync;
  if (!validates(spec, destination)) return undefined;
  let objects: DiscoveredObject[];
  try {
    const key = `${destination.name}\u0000${spec.object}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = discoverObjects(destination, [spec.object], logger, signal);
      cache.set(key, pending);
    }
    objects = await pending;
  } catch (error) {
    const reason = destination.redact(classify(error).describe());
    return { problems: [], notes: [`could not read ${destination.name}'s fields (${reason}): mapping not checked`] };
  }
  if (!wellFormed(objects))
    return { problems: [], notes: [`${destination.name}'s discover answered malformed objects: mapping not checked`] };
  const object = findObject(objects, spec.object);
  if (!object) {
    const known = objects.map((candidate) => candidate.name).join(", ");
    return {
      problems: [],
      notes: [
        `${destination.name} does not describe object "${spec.object}" (it describes: ${known || "none"}): mapping not checked`,
      ],
    };
  }
  return { ...checkMapping(spec, destination.name, object, await modelColumns(sync, logger, signal)), object };
}

/** The model's columns, for the type checks; undefined when they cannot be read (the model's own check says why). */
async function modelColumns(sync: MappingSync, logger: Logger, signal: AbortSignal): Promise<Column[] | undefined> {
  try {
    return await sync.source.plugin.columns(sourceContext(sync.source, logger, signal), sync.spec.model);
  } catch {
    return undefined;
  }
}

/** Objects with names and named fields (the SDK's shape), whatever a plugin returned. */
function wellFormed(objects: unknown): objects is DiscoveredObject[] {
  return (
    Array.isArray(objects) &&
    objects.every(
      (item) =>
        typeof item?.name === "string" &&
        Array.isArray(item.fields) &&
        item.fields.every((field: unknown) => typeof (field as { name?: unknown } | null)?.name === "string"),
    )
  );
}
