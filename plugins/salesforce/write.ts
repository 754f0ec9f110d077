import { ConfigurationError, type DestinationContext, type Outcome, type WriteBatch } from "syncline/sdk";
import { writeBulk } from "./bulk.ts";
import { writeCollections } from "./collections.ts";
import { type SalesforceConfig, usesBulk } from "./config.ts";

/** Writes one batch, through Bulk API 2.0 or sObject Collections, outcomes in batch order. */
export async function writeBatch(ctx: DestinationContext<SalesforceConfig>, batch: WriteBatch): Promise<Outcome[]> {
  const externalIdField = typeof batch.options.externalIdField === "string" ? batch.options.externalIdField : undefined;
  if (batch.operation === "upsert" && !externalIdField) {
    throw new ConfigurationError(`Salesforce upserts into ${batch.object} need an external id field`, {
      code: "missing_external_id_field",
      path: "options.externalIdField",
      fix: `set the sync's options.externalIdField to an External ID field of ${batch.object}, for example External_Id__c`,
    });
  }
  const outcomes = usesBulk(ctx.config, batch.records.length)
    ? await writeBulk(ctx, batch, externalIdField)
    : await writeCollections(ctx, batch, externalIdField);
  const byKey = new Map(outcomes.map((outcome) => [outcome.key, outcome]));
  return batch.records.map((record) => byKey.get(record.key) as Outcome);
}
