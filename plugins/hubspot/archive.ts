import { type DestinationContext, type Outcome, ok, reject, retry, type WriteBatch } from "syncline/sdk";
import { objectPath } from "./batch-call.ts";
import type { HubSpotConfig } from "./config.ts";
import { hubspotApi } from "./http.ts";
import { idValueOf } from "./plan.ts";
import { normaliseId } from "./values.ts";

/**
 * Mirror deletes: `batch/archive` by HubSpot id (the remote id). Records without one are
 * looked up by their idProperty value first (`batch/read`); records HubSpot reports it does not
 * hold (OBJECT_NOT_FOUND) are already gone, so they are `ok`. Archiving is idempotent: HubSpot answers 204 either way.
 */
export async function archiveBatch(
  ctx: DestinationContext<HubSpotConfig>,
  batch: WriteBatch,
  idProperty: string | undefined,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const ids = new Map<string, string>();
  const lookups = new Map<string, string>();
  for (const record of batch.records) {
    if (record.remoteId) {
      ids.set(record.key, record.remoteId);
      continue;
    }
    const value = idProperty ? idValueOf(record, idProperty) : undefined;
    if (value === undefined) {
      outcomes.push(
        reject(record, {
          code: "missing_id",
          message:
            "cannot archive: no HubSpot id is known for this record and it has no idProperty value to find it by",
        }),
      );
    } else {
      lookups.set(record.key, value);
    }
  }
  if (lookups.size > 0 && idProperty) {
    const { found, missing } = await readIds(ctx, batch.object, idProperty, [...lookups.values()]);
    for (const [key, value] of lookups) {
      const id = found.get(normaliseId(idProperty, value));
      if (id) ids.set(key, id);
      else if (missing.has(normaliseId(idProperty, value))) outcomes.push(ok({ key }));
      else
        outcomes.push(
          retry(
            { key },
            { code: "no_result", message: "HubSpot's read neither returned this record nor reported it missing" },
          ),
        );
    }
  }
  const unique = [...new Set(ids.values())];
  if (unique.length > 0) {
    await hubspotApi.request(ctx, "POST", objectPath(batch.object, "archive"), {
      json: { inputs: unique.map((id) => ({ id })) },
    });
  }
  for (const [key, id] of ids) outcomes.push(ok({ key }, id));
  return outcomes;
}

async function readIds(
  ctx: DestinationContext<HubSpotConfig>,
  object: string,
  idProperty: string,
  values: string[],
): Promise<{ found: Map<string, string>; missing: Set<string> }> {
  const body = (await hubspotApi.request(ctx, "POST", objectPath(object, "read"), {
    json: { idProperty, properties: [idProperty], inputs: values.map((id) => ({ id })) },
  })) as ReadAnswer | undefined;
  const found = new Map<string, string>();
  for (const result of body?.results ?? []) {
    const value = result.properties?.[idProperty];
    if (typeof value === "string" && result.id) found.set(normaliseId(idProperty, value), result.id);
  }
  const missing = new Set<string>();
  for (const error of body?.errors ?? []) {
    if (error.category !== "OBJECT_NOT_FOUND") continue;
    for (const id of error.context?.ids ?? []) if (typeof id === "string") missing.add(normaliseId(idProperty, id));
  }
  return { found, missing };
}

/** `batch/read`'s answer: what it found, and an OBJECT_NOT_FOUND error naming the ids it did not. */
interface ReadAnswer {
  results?: Array<{ id?: string; properties?: Record<string, string | null> }>;
  errors?: Array<{ category?: string; context?: { ids?: unknown[] } }>;
}
