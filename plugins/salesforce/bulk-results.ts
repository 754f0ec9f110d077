import { type DestinationRecord, type Outcome, ok, retry } from "syncline/sdk";
import { parseCsvObjects } from "./csv.ts";
import { errorOutcome } from "./record-results.ts";

export interface BulkRow {
  record: DestinationRecord;
  /** The cells sent, by column. */
  cells: Record<string, string>;
}

export interface BulkResults {
  successful: string;
  failed: string;
  unprocessed: string;
}

/**
 * Maps a job's result CSVs back to records: by the external id (upsert), by Id (update,
 * delete), or by all the cells sent (insert). `sf__Error` is `STATUS_CODE:message:fields`.
 */
export function mapBulkResults(
  rows: readonly BulkRow[],
  columns: readonly string[],
  identity: string | undefined,
  results: BulkResults,
  deleting: boolean,
): Outcome[] {
  const signature = (cells: Record<string, string>) =>
    identity ? (cells[identity] ?? "") : JSON.stringify(columns.map((column) => cells[column] ?? ""));
  const pending = new Map<string, DestinationRecord[]>();
  for (const row of rows) {
    const key = signature(row.cells);
    pending.set(key, [...(pending.get(key) ?? []), row.record]);
  }
  const take = (cells: Record<string, string>) => pending.get(signature(cells))?.shift();
  const outcomes: Outcome[] = [];
  for (const cells of parseCsvObjects(results.successful)) {
    const record = take(cells);
    if (record) outcomes.push(ok(record, cells.sf__Id || record.remoteId));
  }
  for (const cells of parseCsvObjects(results.failed)) {
    const record = take(cells);
    if (!record) continue;
    const { code, message } = parseBulkError(cells.sf__Error ?? "");
    outcomes.push(errorOutcome(record, code, message, deleting));
  }
  for (const cells of parseCsvObjects(results.unprocessed)) {
    const record = take(cells);
    if (record)
      outcomes.push(
        retry(record, {
          code: "bulk_unprocessed",
          message: "Salesforce did not process this record (the job stopped)",
        }),
      );
  }
  for (const records of pending.values()) {
    for (const record of records) {
      outcomes.push(retry(record, { code: "no_result", message: "Salesforce reported no result for this record" }));
    }
  }
  return outcomes;
}

/** `REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --` → code and message. */
export function parseBulkError(text: string): { code: string; message: string } {
  const trimmed = text.replace(/\s*--\s*$/, "");
  const first = trimmed.indexOf(":");
  if (first < 0 || !/^[A-Z_]+$/.test(trimmed.slice(0, first)))
    return { code: "UNKNOWN_EXCEPTION", message: trimmed || "Salesforce refused the record" };
  const code = trimmed.slice(0, first);
  const rest = trimmed.slice(first + 1);
  const last = rest.lastIndexOf(":");
  const message = last >= 0 ? rest.slice(0, last) : rest;
  return { code, message: message || rest };
}
