import { randomUUID } from "node:crypto";
import { type Answer, sfError } from "./answer.ts";
import { readCsv, writeCsv } from "./csv.ts";
import type { RecordOp, SObjectStore } from "./store.ts";

export interface IngestJob {
  id: string;
  object: string;
  operation: RecordOp;
  externalIdFieldName?: string | undefined;
  state: "Open" | "UploadComplete" | "InProgress" | "JobComplete" | "Failed" | "Aborted";
  createdDate: string;
  csv: string[];
  bytes: number;
  /** Job-info reads since UploadComplete. */
  polls: number;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  errorMessage?: string | undefined;
  results?: { successfulResults: string; failedResults: string; unprocessedrecords: string };
}

const OPERATIONS = new Set(["insert", "update", "upsert", "delete"]);

/** Bulk API 2.0 ingest jobs: create, upload CSV, UploadComplete, poll, results. */
export class IngestJobs {
  readonly jobs = new Map<string, IngestJob>();
  readonly #store: SObjectStore;
  readonly #maxBytes: number;
  readonly #polls: number;

  constructor(store: SObjectStore, maxBytes: number, polls: number) {
    this.#store = store;
    this.#maxBytes = maxBytes;
    this.#polls = polls;
  }

  create(body: unknown, apiVersion: string): Answer {
    const spec = (body ?? {}) as Record<string, unknown>;
    const object = String(spec.object ?? "");
    const operation = String(spec.operation ?? "");
    if (!this.#store.types[object])
      return sfError(400, "NOT_FOUND", `Entity '${object}' is not supported by the Bulk API.`);
    if (!OPERATIONS.has(operation)) return sfError(400, "INVALIDJOB", `InvalidJob : Invalid operation: ${operation}`);
    if ((spec.contentType ?? "CSV") !== "CSV")
      return sfError(400, "INVALIDJOB", "InvalidJob : contentType must be CSV");
    const externalIdFieldName = typeof spec.externalIdFieldName === "string" ? spec.externalIdFieldName : undefined;
    if (operation === "upsert" && !(externalIdFieldName && this.#store.isExternalId(object, externalIdFieldName))) {
      return sfError(400, "INVALIDJOB", `InvalidJob : External ID was blank or not an External ID field for ${object}`);
    }
    const id = `750Fk${randomUUID().replaceAll("-", "").slice(0, 10)}AAA`;
    const job: IngestJob = {
      id,
      object,
      operation: operation as RecordOp,
      externalIdFieldName,
      state: "Open",
      createdDate: new Date().toISOString(),
      csv: [],
      bytes: 0,
      polls: 0,
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
    };
    this.jobs.set(id, job);
    return {
      status: 200,
      body: { ...info(job), contentUrl: `services/data/v${apiVersion}/jobs/ingest/${id}/batches` },
      records: 0,
    };
  }

  upload(id: string, text: string): Answer {
    const job = this.jobs.get(id);
    if (!job) return sfError(404, "NOT_FOUND", "The requested resource does not exist");
    if (job.state !== "Open")
      return sfError(400, "INVALIDJOBSTATE", `Job ${id} is not open for uploads (state ${job.state})`);
    const bytes = Buffer.byteLength(text);
    if (job.bytes + bytes > this.#maxBytes) {
      return sfError(
        400,
        "CLIENTINPUTERROR",
        `ClientInputError : Content size exceeded. Max size is ${this.#maxBytes} bytes.`,
        0,
        "too_large",
      );
    }
    job.bytes += bytes;
    job.csv.push(text);
    return { status: 201, records: Math.max(0, readCsv(text).length - 1) };
  }

  setState(id: string, body: unknown): Answer {
    const job = this.jobs.get(id);
    if (!job) return sfError(404, "NOT_FOUND", "The requested resource does not exist");
    const state = (body as { state?: unknown } | null)?.state;
    if (state === "Aborted" && job.state !== "JobComplete" && job.state !== "Failed") job.state = "Aborted";
    else if (state === "UploadComplete" && job.state === "Open") this.#process(job);
    else
      return sfError(
        400,
        "INVALIDJOBSTATE",
        `Cannot change the state of job ${id} from ${job.state} to ${String(state)}`,
      );
    return { status: 200, body: info(job), records: 0 };
  }

  read(id: string): Answer {
    const job = this.jobs.get(id);
    if (!job) return sfError(404, "NOT_FOUND", "The requested resource does not exist");
    if (job.state === "UploadComplete" || job.state === "InProgress") {
      job.polls++;
      job.state = job.polls >= this.#polls ? (job.errorMessage ? "Failed" : "JobComplete") : "InProgress";
    }
    return { status: 200, body: info(job), records: 0 };
  }

  results(id: string, kind: string): Answer {
    const job = this.jobs.get(id);
    if (!job) return sfError(404, "NOT_FOUND", "The requested resource does not exist");
    if (job.state !== "JobComplete" && job.state !== "Failed" && job.state !== "Aborted") {
      return sfError(400, "INVALIDJOBSTATE", `Job ${id} is not finished (state ${job.state})`);
    }
    const results = job.results ?? { successfulResults: "", failedResults: "", unprocessedrecords: "" };
    return { status: 200, csv: results[kind as keyof typeof results] ?? "", records: 0 };
  }

  #process(job: IngestJob): void {
    job.state = "UploadComplete";
    const [header = [], ...rows] = job.csv.flatMap((chunk, index) =>
      index === 0 ? readCsv(chunk) : readCsv(chunk).slice(1),
    );
    const unknown = header.find((column) => {
      const fields = this.#store.types[job.object]?.fields;
      return fields !== undefined && column !== "Id" && !fields.includes(column);
    });
    if (unknown) {
      job.errorMessage = `InvalidBatch : Field name not found : ${unknown}`;
      job.results = { successfulResults: "", failedResults: "", unprocessedrecords: writeCsv([header, ...rows]) };
      return;
    }
    const successful: string[][] = [["sf__Id", "sf__Created", ...header]];
    const failed: string[][] = [["sf__Id", "sf__Error", ...header]];
    for (const row of rows) {
      const values: Record<string, unknown> = {};
      header.forEach((column, index) => {
        const cell = row[index] ?? "";
        if (column !== "Id" && cell !== "") values[column] = cell === "#N/A" ? null : cell;
      });
      const id = header.includes("Id") ? (row[header.indexOf("Id")] ?? "") : "";
      const planned = this.#store.plan(job.object, job.operation, values, {
        externalIdField: job.externalIdFieldName,
        id,
      });
      if ("error" in planned) {
        const { statusCode, message, fields = [] } = planned.error;
        failed.push([id, `${statusCode}:${message}:${fields.join(",")} --`, ...row]);
      } else {
        const result = planned.commit();
        successful.push([result.id, String(result.created), ...row]);
      }
    }
    job.numberRecordsProcessed = rows.length;
    job.numberRecordsFailed = failed.length - 1;
    job.results = {
      successfulResults: writeCsv(successful),
      failedResults: writeCsv(failed),
      unprocessedrecords: writeCsv([header]),
    };
  }
}

function info(job: IngestJob) {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdDate: job.createdDate,
    state: job.state,
    externalIdFieldName: job.externalIdFieldName,
    concurrencyMode: "Parallel",
    contentType: "CSV",
    apiVersion: 62,
    lineEnding: "LF",
    columnDelimiter: "COMMA",
    numberRecordsProcessed: job.numberRecordsProcessed,
    numberRecordsFailed: job.numberRecordsFailed,
    ...(job.errorMessage && job.state === "Failed" ? { errorMessage: job.errorMessage } : {}),
  };
}
