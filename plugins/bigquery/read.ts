import { randomUUID } from "node:crypto";
import type { BigQuery, Job } from "@google-cloud/bigquery";
import { type CanonicalRow, type SourceContext, TransientError } from "syncline/sdk";
import { clientFor } from "./client.ts";
import type { BigQueryConfig } from "./config.ts";
import { classifyBigQueryError } from "./errors.ts";
import { type Convert, converterFor, type RawValue, type SchemaField } from "./types.ts";

type Ctx = SourceContext<BigQueryConfig>;

/** The parts of a jobs.getQueryResults response we read. */
interface QueryResultsPage {
  jobComplete?: boolean;
  pageToken?: string;
  schema?: { fields?: SchemaField[] };
  rows?: Array<{ f: Array<{ v: RawValue }> }>;
}

export interface StreamOptions {
  /** Named query parameters (`@name` in the SQL), types as the client library infers them. */
  params?: Record<string, unknown>;
  /** Run the job to its end and hand it over, leaving its result (a temporary table) unread. */
  finished?: (job: Job) => void;
}

/**
 * Runs the model as a query job and reads its results a page at a time (jobs.getQueryResults
 * with maxResults and pageToken), asking for the next page only when the engine wants more
 * rows. The job carries jobTimeoutMs; on abort or timeout it is cancelled (jobs.cancel).
 * Pages are fetched through the client's authenticated request (the same call
 * Job#getQueryResults makes) and converted from the wire form ourselves: the library's own
 * row parsing turns pre-1970 TIMESTAMPs with a fraction into the wrong second.
 */
export async function* streamRows(ctx: Ctx, sql: string, options: StreamOptions = {}): AsyncGenerator<CanonicalRow[]> {
  ctx.signal.throwIfAborted();
  const client = clientFor(ctx);
  const { config } = ctx;
  const deadline = Date.now() + config.queryTimeoutMs;
  // Our own job id: a job whose creation is interrupted can still be cancelled by id.
  const job = client.job(`syncline_${randomUUID().replaceAll("-", "")}`, { location: config.location });
  // Started before listening for aborts, so a cancel always follows the job's creation: a
  // cancel sent while jobs.insert is in flight would find no job, and the job would run on.
  const creating = createJob(ctx, sql, job.id!, options.params);
  creating.catch(() => undefined);
  let cancelling: Promise<void> | undefined;
  const cancel = () => {
    cancelling ??= creating.then(
      () =>
        job.cancel().then(
          () => undefined,
          (error: unknown) =>
            ctx.logger.warn(
              { reason: classifyBigQueryError(error, "cancel").code },
              "could not cancel the BigQuery job",
            ),
        ),
      () => undefined, // never created: nothing to cancel
    );
  };
  ctx.signal.addEventListener("abort", cancel, { once: true });
  try {
    await abortable(creating, ctx.signal);
    let pageToken: string | undefined;
    let columns: Array<{ name: string; convert: Convert }> | undefined;
    for (;;) {
      if (Date.now() > deadline) {
        cancel();
        throw new TransientError(`the BigQuery job ran longer than queryTimeoutMs (${config.queryTimeoutMs} ms)`, {
          code: "query_timeout",
          fix: "raise `queryTimeoutMs` or make the model faster",
        });
      }
      const maxResults = options.finished ? 0 : config.pageSize;
      const page = await abortable(queryResults(client, job, maxResults, pageToken), ctx.signal);
      if (!page.jobComplete) continue; // still running: the call long-polls, ask again
      if (options.finished) {
        options.finished(job);
        return;
      }
      columns ??= (page.schema?.fields ?? []).map((field) => ({
        name: field.name ?? "",
        convert: converterFor(field),
      }));
      const rows = page.rows ?? [];
      if (rows.length > 0) yield rows.map((row) => toCanonical(row.f, columns!));
      ctx.signal.throwIfAborted();
      pageToken = page.pageToken ?? undefined;
      if (!pageToken) return;
    }
  } catch (error) {
    ctx.signal.throwIfAborted();
    if (error instanceof TransientError) throw error;
    throw classifyBigQueryError(error, "reading the model from BigQuery");
  } finally {
    ctx.signal.removeEventListener("abort", cancel);
    await cancelling;
  }
}

async function createJob(ctx: Ctx, sql: string, jobId: string, params?: Record<string, unknown>): Promise<Job> {
  const { config } = ctx;
  const [job] = await clientFor(ctx).createQueryJob({
    query: sql,
    jobId,
    ...(params ? { params } : {}),
    useLegacySql: false,
    jobTimeoutMs: config.queryTimeoutMs,
    labels: { client: "syncline" },
    ...(config.location ? { location: config.location } : {}),
    ...(config.maximumBytesBilled ? { maximumBytesBilled: config.maximumBytesBilled } : {}),
  });
  return job;
}

/** One page of jobs.getQueryResults, with TIMESTAMPs as exact epoch microseconds. */
function queryResults(
  client: BigQuery,
  job: Job,
  maxResults: number,
  pageToken: string | undefined,
): Promise<QueryResultsPage> {
  const qs = {
    maxResults,
    "formatOptions.useInt64Timestamp": true,
    ...(job.location ? { location: job.location } : {}),
    ...(pageToken ? { pageToken } : {}),
  };
  return new Promise((resolve, reject) => {
    client.request({ uri: `/queries/${job.id}`, qs }, (error, body) => {
      if (error) return reject(error);
      // The client's request path keeps response bodies reachable (measured: without this the
      // heap grew by the whole result); taking the rows out of the body frees each page once
      // the engine has it, as Job#getQueryResults does with `delete resp.rows`.
      const response = (body ?? {}) as QueryResultsPage;
      const page = { ...response };
      delete response.rows;
      resolve(page);
    });
  });
}

function toCanonical(cells: Array<{ v: RawValue }>, columns: Array<{ name: string; convert: Convert }>): CanonicalRow {
  const out: CanonicalRow = {};
  for (let i = 0; i < columns.length; i++) out[columns[i]!.name] = columns[i]!.convert(cells[i]?.v ?? null);
  return out;
}

/** Settles with the promise, or rejects with the signal's reason as soon as it aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
