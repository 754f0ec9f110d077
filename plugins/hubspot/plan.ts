import { type DestinationRecord, type Outcome, reject, type WriteBatch } from "syncline/sdk";
import { normaliseId, toHubSpotProperties } from "./values.ts";

/** A record sent in a batch call, and what identifies it in HubSpot's answer. */
export interface SentRecord {
  record: DestinationRecord;
  /** Our `objectWriteTraceId` for it (its index in the call). */
  trace: string;
  /** Its idProperty value, normalised as HubSpot compares them. */
  idValue?: string | undefined;
  /** The HubSpot id it was addressed by. */
  hubspotId?: string | undefined;
}

export interface Plan {
  inputs: Array<Record<string, unknown>>;
  sent: SentRecord[];
  /** Outcomes decided without calling HubSpot. */
  early: Outcome[];
}

/** Inputs for `batch/upsert`: every record is addressed by its idProperty value. */
export function planUpsert(batch: WriteBatch, idProperty: string): Plan {
  const plan: Plan = { inputs: [], sent: [], early: [] };
  const seen = new Set<string>();
  for (const record of batch.records) {
    const raw = idValueOf(record, idProperty);
    if (raw === undefined) {
      plan.early.push(reject(record, { code: "missing_id", message: missingIdMessage(idProperty) }));
      continue;
    }
    const idValue = normaliseId(idProperty, raw);
    if (seen.has(idValue)) {
      plan.early.push(reject(record, { code: "duplicate_id", message: duplicateMessage(idProperty, raw) }));
      continue;
    }
    seen.add(idValue);
    const trace = String(plan.sent.length);
    plan.inputs.push({
      idProperty,
      id: raw,
      properties: toHubSpotProperties(record.fields),
      objectWriteTraceId: trace,
    });
    plan.sent.push({ record, trace, idValue });
  }
  return plan;
}

/** Inputs for `batch/update`: by HubSpot id (the remote id) or else by idProperty value. */
export function planUpdate(batch: WriteBatch, idProperty: string | undefined): Plan {
  const plan: Plan = { inputs: [], sent: [], early: [] };
  const seen = new Set<string>();
  for (const record of batch.records) {
    const raw = idProperty ? idValueOf(record, idProperty) : undefined;
    const address = record.remoteId
      ? `id:${record.remoteId}`
      : raw !== undefined
        ? `value:${normaliseId(idProperty, raw)}`
        : undefined;
    if (address === undefined) {
      plan.early.push(
        reject(record, {
          code: "missing_id",
          message: idProperty
            ? `update needs the HubSpot id of this record or a value for "${idProperty}"; it has neither`
            : "update needs the HubSpot id of this record (it was never delivered) or an idProperty sync option to match it by",
        }),
      );
      continue;
    }
    if (seen.has(address)) {
      plan.early.push(
        reject(record, {
          code: "duplicate_id",
          message: "another record in this batch addresses the same HubSpot record",
        }),
      );
      continue;
    }
    seen.add(address);
    const trace = String(plan.sent.length);
    const properties = toHubSpotProperties(record.fields);
    if (record.remoteId) {
      plan.inputs.push({ id: record.remoteId, properties, objectWriteTraceId: trace });
      plan.sent.push({
        record,
        trace,
        hubspotId: record.remoteId,
        idValue: raw === undefined ? undefined : normaliseId(idProperty, raw),
      });
    } else {
      plan.inputs.push({ id: raw, idProperty, properties, objectWriteTraceId: trace });
      plan.sent.push({ record, trace, idValue: normaliseId(idProperty, raw as string) });
    }
  }
  return plan;
}

/** Inputs for `batch/create`. */
export function planInsert(batch: WriteBatch, idProperty: string | undefined): Plan {
  const plan: Plan = { inputs: [], sent: [], early: [] };
  for (const record of batch.records) {
    const trace = String(plan.sent.length);
    const raw = idProperty ? idValueOf(record, idProperty) : undefined;
    plan.inputs.push({ properties: toHubSpotProperties(record.fields), objectWriteTraceId: trace });
    plan.sent.push({ record, trace, idValue: raw === undefined ? undefined : normaliseId(idProperty, raw) });
  }
  return plan;
}

/** The record's value for `property`, as text, or undefined when it has none. */
export function idValueOf(record: DestinationRecord, property: string): string | undefined {
  const value = record.fields[property];
  if (value === null || value === undefined || value === "") return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function missingIdMessage(idProperty: string): string {
  return `the record has no value for "${idProperty}", the property HubSpot matches records by; map a field named "${idProperty}"`;
}

function duplicateMessage(idProperty: string, value: string): string {
  return `another record in this batch has the same ${idProperty} "${value}"; HubSpot would refuse the whole batch`;
}
