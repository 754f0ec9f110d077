import type { DestinationRecord } from "../../sdk/destination.ts";
import type { StagedRecord } from "../delta/staging.ts";
import type { FinalOutcome } from "../ledger/final-outcome.ts";
import { coerceFields } from "../schema/coerce.ts";
import type { FieldLookup } from "../schema/discover.ts";

export interface Screened {
  send: StagedRecord[];
  records: DestinationRecord[];
  /** Records refused before any call: their values do not fit the destination's fields. */
  rejected: Map<string, FinalOutcome>;
}

/**
 * A batch's records with their values coerced to the destination's field types, and the
 * records whose values cannot be: those are rejected here (code `invalid_value`, no attempt,
 * no API call), and land in the ledger like any other reject. Deletes carry no fields.
 */
export function screen(
  batch: StagedRecord[],
  toRecord: (staged: StagedRecord) => DestinationRecord,
  fields: FieldLookup | undefined,
): Screened {
  const records = batch.map(toRecord);
  const rejected = new Map<string, FinalOutcome>();
  if (!fields) return { send: batch, records, rejected };
  const send: StagedRecord[] = [];
  const kept: DestinationRecord[] = [];
  records.forEach((record, i) => {
    const coerced = coerceFields(record.fields, fields);
    if (coerced.ok) {
      send.push(batch[i]!);
      kept.push({ ...record, fields: coerced.fields });
    } else {
      const message = `${coerced.reason} (not sent: fix the value in the model, or map another column)`;
      rejected.set(record.key, {
        status: "failed",
        errorClass: "permanent",
        code: "invalid_value",
        message,
        attempts: 0,
      });
    }
  });
  return { send, records: kept, rejected };
}
