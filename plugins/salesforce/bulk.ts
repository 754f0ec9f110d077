import {
  type DestinationContext,
  type Outcome,
  PermanentError,
  reject,
  TransientError,
  type WriteBatch,
} from "syncline/sdk";
import { type BulkRow, mapBulkResults } from "./bulk-results.ts";
import { addressOf } from "./collections.ts";
import { dataPath, type SalesforceConfig } from "./config.ts";
import { toCsv } from "./csv.ts";
import { salesforceRequest } from "./http.ts";
import { toCsvValue } from "./values.ts";

interface JobInfo {
  id: string;
  state: string;
  errorMessage?: string;
}

const DONE = new Set(["JobComplete", "Failed", "Aborted"]);

/**
 * Writes a batch as one Bulk API 2.0 ingest job: create the job, upload the CSV, mark the
 * upload complete, poll until the job ends, then read its successful, failed and
 * unprocessed results and map them back to records.
 */
export async function writeBulk(
  ctx: DestinationContext<SalesforceConfig>,
  batch: WriteBatch,
  externalIdField: string | undefined,
): Promise<Outcome[]> {
  const { config } = ctx;
  const early: Outcome[] = [];
  const rows: BulkRow[] = [];
  const seen = new Set<string>();
  const columns = columnsOf(batch, externalIdField);
  for (const record of batch.records) {
    const address = addressOf(batch, record, externalIdField);
    if (typeof address === "object") {
      early.push(address);
      continue;
    }
    if (address !== "" && seen.has(address)) {
      early.push(
        reject(record, {
          code: "duplicate_id",
          message: "another record in this batch addresses the same Salesforce record",
        }),
      );
      continue;
    }
    seen.add(address);
    const cells: Record<string, string> = {};
    for (const column of columns)
      cells[column] = column === "Id" ? (record.remoteId ?? "") : toCsvValue(record.fields[column]);
    rows.push({ record, cells });
  }
  if (rows.length === 0) return early;
  const identity = batch.operation === "upsert" ? externalIdField : batch.operation === "insert" ? undefined : "Id";

  const jobs = dataPath(config, "jobs/ingest");
  const job = (await salesforceRequest(ctx, "POST", jobs, {
    json: {
      object: batch.object,
      operation: batch.operation,
      ...(batch.operation === "upsert" ? { externalIdFieldName: externalIdField } : {}),
      contentType: "CSV",
      columnDelimiter: "COMMA",
      lineEnding: "LF",
    },
  })) as JobInfo;
  ctx.logger.info({ job: job.id, records: rows.length, operation: batch.operation }, "salesforce bulk job created");
  try {
    const csv = toCsv(
      columns,
      rows.map((row) => columns.map((column) => row.cells[column] ?? "")),
    );
    await salesforceRequest(ctx, "PUT", `${jobs}/${job.id}/batches`, { body: csv, contentType: "text/csv" });
    await salesforceRequest(ctx, "PATCH", `${jobs}/${job.id}`, { json: { state: "UploadComplete" } });
  } catch (error) {
    await salesforceRequest(ctx, "PATCH", `${jobs}/${job.id}`, { json: { state: "Aborted" } }).catch(() => undefined);
    throw error;
  }
  // From here on the job may be applying the records: a quota met now refuses no record, so
  // it is transient (the batch is retried, its records stay in doubt until then).
  const submitted = <T>(step: Promise<T>) =>
    step.catch((error: unknown) => {
      if ((error as { kind?: string }).kind !== "quota") throw error;
      throw new TransientError(
        `Salesforce bulk job ${job.id} was submitted, but its outcome could not be read: ${(error as Error).message}`,
        { code: "bulk_outcome_unread", cause: error },
      );
    });
  const final = await submitted(poll(ctx, `${jobs}/${job.id}`));
  if (final.state !== "JobComplete") {
    throw new PermanentError(
      `Salesforce bulk job ${job.id} ${final.state.toLowerCase()}: ${final.errorMessage ?? "no reason given"}`,
      {
        code: "bulk_job_failed",
      },
    );
  }
  const csvOf = async (kind: string) =>
    String((await salesforceRequest(ctx, "GET", `${jobs}/${job.id}/${kind}`, { accept: "text/csv" })) ?? "");
  const results = {
    successful: await submitted(csvOf("successfulResults")),
    failed: await submitted(csvOf("failedResults")),
    unprocessed: await submitted(csvOf("unprocessedrecords")),
  };
  return [...early, ...mapBulkResults(rows, columns, identity, results, batch.operation === "delete")];
}

/** The CSV columns: Id for updates and deletes, then every mapped field in the batch. */
function columnsOf(batch: WriteBatch, externalIdField: string | undefined): string[] {
  if (batch.operation === "delete") return ["Id"];
  const columns = new Set<string>(batch.operation === "update" ? ["Id"] : []);
  if (batch.operation === "upsert" && externalIdField) columns.add(externalIdField);
  for (const record of batch.records) for (const field of Object.keys(record.fields)) columns.add(field);
  return [...columns];
}

async function poll(ctx: DestinationContext<SalesforceConfig>, path: string): Promise<JobInfo> {
  for (;;) {
    const info = (await salesforceRequest(ctx, "GET", path)) as JobInfo;
    if (DONE.has(info.state)) return info;
    await wait(ctx.config.bulkPollIntervalMs, ctx.signal).catch(async () => {
      await salesforceRequest(ctx, "PATCH", path, { json: { state: "Aborted" } }).catch(() => undefined);
      throw new TransientError(`Salesforce bulk job ${info.id} did not finish in time`, { code: "bulk_timeout" });
    });
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", abort, { once: true });
  });
}
