import { ConfigurationError, type DestinationContext, type Outcome, type WriteBatch } from "syncline/sdk";
import { archiveBatch } from "./archive.ts";
import { objectPath, sendPlan } from "./batch-call.ts";
import { type HubSpotConfig, idPropertyFor } from "./config.ts";
import { planInsert, planUpdate, planUpsert } from "./plan.ts";

/** Writes one batch (at most 100 records) and returns the outcomes in the batch's order. */
export async function writeBatch(ctx: DestinationContext<HubSpotConfig>, batch: WriteBatch): Promise<Outcome[]> {
  const idProperty = idPropertyFor(batch.object, batch.options);
  const outcomes = await writeByOperation(ctx, batch, idProperty);
  const byKey = new Map(outcomes.map((outcome) => [outcome.key, outcome]));
  return batch.records.map((record) => byKey.get(record.key) as Outcome);
}

async function writeByOperation(
  ctx: DestinationContext<HubSpotConfig>,
  batch: WriteBatch,
  idProperty: string | undefined,
): Promise<Outcome[]> {
  switch (batch.operation) {
    case "upsert": {
      if (!idProperty) throw missingIdProperty(batch.object);
      const plan = planUpsert(batch, idProperty);
      return [...plan.early, ...(await sendPlan(ctx, objectPath(batch.object, "upsert"), plan, idProperty))];
    }
    case "update": {
      const plan = planUpdate(batch, idProperty);
      return [...plan.early, ...(await sendPlan(ctx, objectPath(batch.object, "update"), plan, idProperty))];
    }
    case "insert": {
      const plan = planInsert(batch, idProperty);
      return [...plan.early, ...(await sendPlan(ctx, objectPath(batch.object, "create"), plan, idProperty))];
    }
    case "delete":
      return archiveBatch(ctx, batch, idProperty);
  }
}

function missingIdProperty(object: string): ConfigurationError {
  return new ConfigurationError(`HubSpot upserts into "${object}" need an idProperty`, {
    code: "missing_id_property",
    path: "options.idProperty",
    fix: `set the sync's options.idProperty to a ${object} property with unique values (only contacts default to email)`,
  });
}
