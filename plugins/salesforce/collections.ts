import {
  type DestinationContext,
  type DestinationRecord,
  type Outcome,
  reject,
  retry,
  sendInTurns,
  type WriteBatch,
} from "syncline/sdk";
import { salesforceApi } from "./api.ts";
import { COLLECTION_LIMIT, dataPath, type SalesforceConfig } from "./config.ts";
import { salesforceCall } from "./http.ts";
import { type SaveResult, saveOutcome } from "./record-results.ts";
import { textOf, toSObject } from "./values.ts";

/**
 * Writes a batch with sObject Collections, 200 records per call, `allOrNone: false`. When a
 * later call fails after earlier ones succeeded (transient, or the daily allocation used up),
 * its records come back `retry` instead of throwing, so the accepted ones are not sent again.
 */
export async function writeCollections(
  ctx: DestinationContext<SalesforceConfig>,
  batch: WriteBatch,
  externalIdField: string | undefined,
): Promise<Outcome[]> {
  const { sendable, early } = prepare(batch, externalIdField);
  // The records of a later call that is not sent are retried (a quota then stops the run at once).
  const sent = await sendInTurns(sendable, COLLECTION_LIMIT, (chunk) => sendChunk(ctx, batch, chunk, externalIdField));
  return [...early, ...sent];
}

function prepare(batch: WriteBatch, externalIdField: string | undefined) {
  const sendable: DestinationRecord[] = [];
  const early: Outcome[] = [];
  const seen = new Set<string>();
  for (const record of batch.records) {
    const address = addressOf(batch, record, externalIdField);
    if (typeof address === "object") {
      early.push(address);
    } else if (address !== "" && seen.has(address)) {
      early.push(
        reject(record, {
          code: "duplicate_id",
          message: "another record in this batch addresses the same Salesforce record",
        }),
      );
    } else {
      if (address !== "") seen.add(address);
      sendable.push(record);
    }
  }
  return { sendable, early };
}

/** What addresses the record in Salesforce ("" for inserts), or its rejection. */
export function addressOf(
  batch: WriteBatch,
  record: DestinationRecord,
  externalIdField: string | undefined,
): string | Outcome {
  if (batch.operation === "insert") return "";
  if (batch.operation === "upsert") {
    const value = externalIdField ? textOf(record.fields, externalIdField) : undefined;
    return (
      value ??
      reject(record, {
        code: "missing_id",
        message: `the record has no value for the external id field "${externalIdField}"; map a field named "${externalIdField}"`,
      })
    );
  }
  return (
    record.remoteId ??
    reject(record, {
      code: "missing_id",
      message: `${batch.operation === "delete" ? "cannot delete" : "update needs"} the Salesforce Id of this record, and none is known (it was never delivered by this sync)`,
    })
  );
}

async function sendChunk(
  ctx: DestinationContext<SalesforceConfig>,
  batch: WriteBatch,
  records: DestinationRecord[],
  externalIdField: string | undefined,
): Promise<Outcome[]> {
  const { config } = ctx;
  const type = batch.object;
  const response = await (() => {
    switch (batch.operation) {
      case "upsert":
        return salesforceCall(ctx, "PATCH", dataPath(config, `composite/sobjects/${type}/${externalIdField}`), {
          json: { allOrNone: false, records: records.map((record) => toSObject(type, record.fields)) },
        });
      case "insert":
        return salesforceCall(ctx, "POST", dataPath(config, "composite/sobjects"), {
          json: { allOrNone: false, records: records.map((record) => toSObject(type, record.fields)) },
        });
      case "update":
        return salesforceCall(ctx, "PATCH", dataPath(config, "composite/sobjects"), {
          json: {
            allOrNone: false,
            records: records.map((record) => toSObject(type, record.fields, { id: record.remoteId as string })),
          },
        });
      case "delete": {
        const ids = records.map((record) => encodeURIComponent(record.remoteId as string)).join(",");
        return salesforceCall(ctx, "DELETE", dataPath(config, `composite/sobjects?ids=${ids}&allOrNone=false`));
      }
    }
  })();
  if (!response.ok) {
    const error = salesforceApi.error(response, ctx);
    const [only] = records;
    if (error.kind === "permanent" && records.length === 1 && only) {
      const first = (Array.isArray(response.body) ? response.body[0] : response.body) as
        | { errorCode?: string; message?: string }
        | undefined;
      return [reject(only, { code: first?.errorCode ?? error.code, message: first?.message ?? error.message })];
    }
    throw error;
  }
  // Results come one per record, in the order sent: any other count cannot be lined up.
  const results = Array.isArray(response.body) ? (response.body as SaveResult[]) : [];
  if (results.length !== records.length) {
    const message = `Salesforce answered ${results.length} results for ${records.length} records`;
    return records.map((record) => retry(record, { code: "result_mismatch", message }));
  }
  return records.map((record, index) => saveOutcome(record, results[index], batch.operation === "delete"));
}
