import type { DiscoveredObject } from "../../sdk/destination.ts";
import { classify } from "../../sdk/errors/classify.ts";
import type { DiscoveredField } from "../../sdk/field-types.ts";
import type { Logger } from "../../sdk/logger.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { contextFor, type DestinationHandle } from "../sink/destination-handle.ts";
import { fieldLookup, findObject } from "./mapping-check.ts";

export type FieldLookup = (name: string) => DiscoveredField | undefined;

/** Whether a sync's values are checked against its destination's fields (it can describe them, and the sync allows it). */
export function validates(spec: SyncSpec, destination: DestinationHandle): boolean {
  return spec.validateMapping && typeof destination.plugin.discover === "function";
}

/**
 * The destination's objects (its `discover`), within its call timeout, paced like a write (it
 * takes a slot of the destination's rate limit, shared with every sync). Throws what discover
 * throws.
 */
export function discoverObjects(
  destination: DestinationHandle,
  objects: readonly string[] | undefined,
  logger: Logger,
  signal: AbortSignal,
): Promise<DiscoveredObject[]> {
  return destination.limiter.schedule(() => {
    const timeout = AbortSignal.timeout(destination.capabilities.timeoutMs);
    const ctx = contextFor(destination, logger, AbortSignal.any([signal, timeout]));
    return destination.plugin.discover!(ctx, objects ? { objects } : undefined);
  }, signal);
}

/**
 * The run's view of the sync's object, read once per run: how to find a mapped field's type.
 * Undefined — values are sent as they are — when the sync does not validate, the destination
 * cannot describe the object, or describing it failed (a warning, never a failed run).
 */
export async function fieldsForRun(
  spec: SyncSpec,
  destination: DestinationHandle,
  logger: Logger,
  signal: AbortSignal,
): Promise<FieldLookup | undefined> {
  if (!validates(spec, destination)) return undefined;
  try {
    const objects = await discoverObjects(destination, [spec.object], logger, signal);
    const object = findObject(objects, spec.object);
    if (object) return fieldLookup(object);
    logger.info(
      { sync: spec.name, destination: destination.name, object: spec.object },
      "the destination does not describe this object: values are sent as they are",
    );
  } catch (error) {
    if (signal.aborted) throw error;
    logger.warn(
      { sync: spec.name, destination: destination.name, err: destination.redact(classify(error).describe()) },
      `could not read ${destination.name}'s fields: values are sent without type checks`,
    );
  }
  return undefined;
}
