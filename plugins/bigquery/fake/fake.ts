import { randomUUID } from "node:crypto";
import { DuckStore, duckErrorType, type StoredResult } from "syncline/sdk/testing";
import { FakeTokenEndpoint } from "./auth.ts";
import { encodeColumn } from "./encode.ts";
import { ORDERED_READ_MACROS } from "./macros.ts";
import { parameterLiterals, type QueryParameter } from "./parameters.ts";
import { toDuckSql } from "./sql.ts";

export interface BigQueryFakeOptions {
  projectId: string;
  location?: string;
  /** Service-account email → public key PEM. */
  serviceAccounts: Record<string, string>;
  /** Accounts allowed to create jobs (roles/bigquery.jobUser); all when omitted. */
  jobUsers?: string[];
  /** Rows per getQueryResults page at most (the API also caps by response size). */
  maxPageRows?: number;
  latencyMs?: (sql: string) => number;
  longPollMs?: number;
}

interface ErrorProto {
  reason: string;
  message: string;
  location?: string;
}

interface Job {
  id: string;
  sql: string;
  location: string;
  createdAt: number;
  readyAt: number;
  timeoutMs: number | undefined;
  state: "RUNNING" | "DONE";
  error?: ErrorProto;
  result?: StoredResult;
  parameters?: QueryParameter[] | undefined;
}

/** BigQuery's limit on a jobs.insert request (the query text with its parameters). */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

const HTTP_FOR_REASON: Record<string, number> = {
  invalidQuery: 400,
  notFound: 404,
  accessDenied: 403,
  stopped: 400,
  timeout: 400,
  backendError: 503,
};

/**
 * BigQuery's REST API v2 for query jobs: jobs.insert, jobs.get, jobs.getQueryResults (long-poll
 * while running, then pages with maxResults/pageToken/startIndex), jobs.cancel; and Google's
 * OAuth token endpoint. Queries run on an in-memory DuckDB after backtick identifiers are
 * rewritten; results are materialised and served one page at a time.
 */
export class BigQueryFake {
  readonly requests: Array<{ method: string; path: string; search: string }> = [];
  readonly cancelled: string[] = [];
  /** Every query job's SQL, as inserted (dry runs too). */
  readonly statements: string[] = [];
  readonly store: DuckStore;
  readonly tokens: FakeTokenEndpoint;
  private readonly options: BigQueryFakeOptions;
  private readonly jobs = new Map<string, Job>();

  private constructor(store: DuckStore, options: BigQueryFakeOptions) {
    this.store = store;
    this.options = options;
    this.tokens = new FakeTokenEndpoint(options.serviceAccounts);
  }

  static async create(options: BigQueryFakeOptions): Promise<BigQueryFake> {
    const store = await DuckStore.create();
    // GoogleSQL functions DuckDB lacks, for the SQL Syncline generates in warehouse mode.
    await store.exec(`CREATE MACRO to_json_string(x) AS CAST(to_json(x) AS VARCHAR);
      CREATE MACRO code_points_to_string(l) AS array_to_string(list_transform(l, lambda c: chr(c)), '');
      ${ORDERED_READ_MACROS}`);
    return new BigQueryFake(store, options);
  }

  running(): string[] {
    return [...this.jobs.values()].filter((job) => job.state === "RUNNING").map((job) => job.sql);
  }

  close(): void {
    this.store.close();
  }

  handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    this.requests.push({ method: request.method, path: url.pathname, search: url.search });
    if (url.pathname === "/token") return this.tokens.handle(request);
    const principal = this.tokens.principal(request.headers.get("authorization"));
    if (!principal)
      return apiError(401, "required", "Request is missing required authentication credential.", "UNAUTHENTICATED");
    const match = /^\/bigquery\/v2\/projects\/([^/]+)\/(jobs|queries)(?:\/([^/]+))?(\/cancel)?$/.exec(url.pathname);
    if (!match) return apiError(404, "notFound", `Not found: ${url.pathname}`, "NOT_FOUND");
    const [, project, collection, jobId, cancel] = match;
    if (project !== this.options.projectId)
      return apiError(404, "notFound", `Not found: Project ${project}`, "NOT_FOUND");
    if (collection === "jobs" && !jobId && request.method === "POST") return this.insert(request, principal);
    const job = this.jobs.get(jobId ?? "");
    if (!job) return apiError(404, "notFound", `Not found: Job ${project}:${jobId}`, "NOT_FOUND");
    if (collection === "jobs" && cancel && request.method === "POST") return this.cancel(job);
    if (collection === "jobs" && request.method === "GET") return Response.json(this.resource(job));
    if (collection === "queries" && request.method === "GET") return this.results(job, url.searchParams);
    return apiError(405, "invalid", "Method not allowed", "INVALID_ARGUMENT");
  };

  private async insert(request: Request, principal: string): Promise<Response> {
    if (this.options.jobUsers && !this.options.jobUsers.includes(principal)) {
      return apiError(
        403,
        "accessDenied",
        `Access Denied: Project ${this.options.projectId}: User does not have bigquery.jobs.create permission in project ${this.options.projectId}.`,
        "PERMISSION_DENIED",
      );
    }
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_REQUEST_BYTES)
      return apiError(
        400,
        "invalid",
        `Request payload size exceeds the limit: ${MAX_REQUEST_BYTES} bytes.`,
        "INVALID_ARGUMENT",
      );
    const body = JSON.parse(text) as {
      configuration?: {
        query?: { query?: string; useLegacySql?: boolean; queryParameters?: QueryParameter[] };
        jobTimeoutMs?: string;
        dryRun?: boolean;
      };
      jobReference?: { jobId?: string; location?: string };
    };
    const query = body.configuration?.query;
    if (!query?.query) return apiError(400, "invalid", "Required parameter is missing: query", "INVALID_ARGUMENT");
    this.statements.push(query.query);
    if (query.useLegacySql !== false)
      return apiError(400, "invalid", "The fake speaks GoogleSQL only (useLegacySql: false)", "INVALID_ARGUMENT");
    if (body.configuration?.dryRun) return this.dryRun(query.query, body.jobReference?.location);
    const now = Date.now();
    const job: Job = {
      id: body.jobReference?.jobId ?? randomUUID(),
      sql: query.query,
      location: body.jobReference?.location ?? this.options.location ?? "US",
      createdAt: now,
      readyAt: now + (this.options.latencyMs?.(query.query) ?? 0),
      timeoutMs: body.configuration?.jobTimeoutMs ? Number(body.configuration.jobTimeoutMs) : undefined,
      state: "RUNNING",
      parameters: query.queryParameters,
    };
    if (this.jobs.has(job.id))
      return apiError(
        409,
        "duplicate",
        `Already Exists: Job ${this.options.projectId}:${job.location}.${job.id}`,
        "ALREADY_EXISTS",
      );
    this.jobs.set(job.id, job);
    await this.advance(job);
    return Response.json(this.resource(job));
  }

  /** A dry run: validates the query and returns its schema in statistics, without running it. */
  private async dryRun(sql: string, location = this.options.location ?? "US"): Promise<Response> {
    let result: StoredResult;
    try {
      result = await this.store.materialize(`SELECT * FROM (${toDuckSql(sql, this.options.projectId)}) AS dry LIMIT 0`);
    } catch (error) {
      const proto = queryError(error);
      return apiError(HTTP_FOR_REASON[proto.reason] ?? 400, proto.reason, proto.message, "INVALID_ARGUMENT");
    }
    await this.store.drop(result.table);
    const schema = { fields: result.columns.map((column) => encodeColumn(column.name, column.type, true).field) };
    return Response.json({
      kind: "bigquery#job",
      jobReference: { projectId: this.options.projectId, location },
      configuration: { jobType: "QUERY", dryRun: true, query: { query: sql, useLegacySql: false } },
      statistics: { totalBytesProcessed: "0", query: { totalBytesProcessed: "0", schema } },
      status: { state: "DONE" },
    });
  }

  /** Moves a job on: times it out, or runs it once its latency has passed. */
  private async advance(job: Job): Promise<void> {
    if (job.state !== "RUNNING") return;
    const now = Date.now();
    if (job.timeoutMs !== undefined && now >= job.createdAt + job.timeoutMs) {
      this.finish(job, {
        reason: "timeout",
        message: `Job timed out after ${Math.round(job.timeoutMs / 1000)} sec(s).`,
      });
    } else if (now >= job.readyAt) {
      try {
        const sql = toDuckSql(job.sql, this.options.projectId, parameterLiterals(job.parameters));
        const result = await this.store.run(sql);
        if (job.state !== "RUNNING") {
          await this.store.drop(result.table); // cancelled meanwhile
          return;
        }
        job.result = result;
        job.state = "DONE";
      } catch (error) {
        // BigQuery rolls back a failed script's open transaction; DuckDB leaves it aborted.
        await this.store.exec("ROLLBACK").catch(() => undefined);
        this.finish(job, queryError(error));
      }
    }
  }

  private finish(job: Job, error: ErrorProto): void {
    job.state = "DONE";
    job.error = error;
  }

  private async results(job: Job, params: URLSearchParams): Promise<Response> {
    const holdUntil = Date.now() + Math.min(Number(params.get("timeoutMs") ?? 10_000), this.options.longPollMs ?? 500);
    await this.advance(job);
    while (job.state === "RUNNING" && Date.now() < holdUntil) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      await this.advance(job);
    }
    const reference = { projectId: this.options.projectId, jobId: job.id, location: job.location };
    if (job.state === "RUNNING")
      return Response.json({ kind: "bigquery#getQueryResultsResponse", jobReference: reference, jobComplete: false });
    if (job.error)
      return apiError(
        HTTP_FOR_REASON[job.error.reason] ?? 400,
        job.error.reason,
        job.error.message,
        "INVALID_ARGUMENT",
      );
    const result = job.result!;
    const token = params.get("pageToken");
    const offset = token
      ? Number(Buffer.from(token, "base64url").toString("utf8").split(":")[1])
      : Number(params.get("startIndex") ?? 0);
    const limit = Math.min(
      Number(params.get("maxResults") ?? Number.MAX_SAFE_INTEGER),
      this.options.maxPageRows ?? 20_000,
    );
    const int64 = params.get("formatOptions.useInt64Timestamp") === "true";
    const encodings = result.columns.map((column) => encodeColumn(column.name, column.type, int64));
    const texts = await this.store.page(
      result.table,
      encodings.map((e) => e.expression),
      offset,
      limit,
    );
    const next = offset + texts.length;
    return Response.json({
      kind: "bigquery#getQueryResultsResponse",
      etag: `"${job.id}-${offset}"`,
      schema: { fields: encodings.map((e) => e.field) },
      jobReference: reference,
      totalRows: String(result.rows),
      ...(next < result.rows ? { pageToken: Buffer.from(`${job.id}:${next}`).toString("base64url") } : {}),
      rows: texts.map((row) => ({ f: row.map((text, i) => ({ v: encodings[i]!.finish(text) })) })),
      totalBytesProcessed: String(result.rows * 64),
      jobComplete: true,
      cacheHit: false,
    });
  }

  private cancel(job: Job): Response {
    this.cancelled.push(job.sql);
    if (job.state === "RUNNING")
      this.finish(job, { reason: "stopped", message: "Job execution was cancelled: User requested cancellation" });
    return Response.json({ kind: "bigquery#jobCancelResponse", job: this.resource(job) });
  }

  private resource(job: Job): Record<string, unknown> {
    const { projectId } = this.options;
    return {
      kind: "bigquery#job",
      etag: `"${job.id}"`,
      id: `${projectId}:${job.location}.${job.id}`,
      jobReference: { projectId, jobId: job.id, location: job.location },
      configuration: {
        jobType: "QUERY",
        query: {
          query: job.sql,
          useLegacySql: false,
          // BigQuery keeps a query's result in a temporary table of an anonymous dataset.
          ...(job.result ? { destinationTable: { projectId, datasetId: "_anon", tableId: job.result.table } } : {}),
        },
      },
      statistics: { creationTime: String(job.createdAt), startTime: String(job.createdAt) },
      status: {
        state: job.state,
        ...(job.error ? { errorResult: job.error, errors: [job.error] } : {}),
      },
    };
  }
}

/** DuckDB's error type → BigQuery's error reason for the same failure. */
function queryError(error: unknown): ErrorProto {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^[A-Za-z ]+ Error: /, "");
  switch (duckErrorType(error)) {
    case "Catalog":
      return { reason: "notFound", message: `Not found: ${message}`, location: "query" };
    case "Parser":
    case "Binder":
      return { reason: "invalidQuery", message: `Syntax error: ${message}`, location: "query" };
    default:
      return { reason: "invalidQuery", message, location: "query" };
  }
}

function apiError(code: number, reason: string, message: string, status: string): Response {
  return Response.json(
    { error: { code, message, errors: [{ message, domain: "global", reason }], status } },
    { status: code },
  );
}
