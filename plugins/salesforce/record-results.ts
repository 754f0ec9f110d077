import { type DestinationRecord, type Outcome, ok, reject, retry } from "syncline/sdk";

/** Per-record status codes worth trying again (lock contention, timeouts, rollbacks). */
const TRANSIENT = new Set([
  "UNABLE_TO_LOCK_ROW",
  "REQUEST_RUNNING_TOO_LONG",
  "QUERY_TIMEOUT",
  "SERVER_UNAVAILABLE",
  "ALL_OR_NONE_OPERATION_ROLLED_BACK",
]);

export interface SaveError {
  statusCode?: string;
  message?: string;
  fields?: string[];
}

/** One entry of an sObject Collections answer (SaveResult / UpsertResult / DeleteResult). */
export interface SaveResult {
  id?: string | null;
  success?: unknown;
  created?: boolean;
  errors?: SaveError[];
}

/**
 * The outcome for one record from its SaveResult: `success: true` is the only confirmation (a
 * deletion's result must name the Id deleted). Deleting a deleted record is `ok`.
 */
export function saveOutcome(record: DestinationRecord, result: SaveResult | undefined, deleting = false): Outcome {
  if (!result) return retry(record, { code: "no_result", message: "Salesforce returned no result for this record" });
  if (result.success !== true && result.success !== false) {
    return retry(record, {
      code: "malformed_result",
      message: "Salesforce's result for this record has no success flag",
    });
  }
  if (deleting && typeof result.id === "string" && result.id !== record.remoteId) {
    return retry(record, {
      code: "result_mismatch",
      message: `Salesforce's result names ${result.id}, not the record deleted (${record.remoteId})`,
    });
  }
  if (result.success) return ok(record, result.id ?? record.remoteId);
  const [first] = result.errors ?? [];
  return errorOutcome(
    record,
    first?.statusCode ?? "UNKNOWN_EXCEPTION",
    first?.message ?? "Salesforce refused the record",
    deleting,
  );
}

/** Maps a Salesforce status code and message to retry, reject, or ok for deletes of deleted records. */
export function errorOutcome(record: DestinationRecord, code: string, message: string, deleting: boolean): Outcome {
  if (deleting && code === "ENTITY_IS_DELETED") return ok(record, record.remoteId);
  return TRANSIENT.has(code) ? retry(record, { code, message }) : reject(record, { code, message });
}
