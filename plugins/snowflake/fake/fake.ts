import { randomBytes, randomUUID } from "node:crypto";
import { DuckStore } from "syncline/sdk/testing";
import { checkLogin, type FakeUser, type LoginData } from "./auth.ts";
import { encodeColumn } from "./encode.ts";
import { queryError } from "./errors.ts";
import { FakeStatementError, FUNCTION_MACROS, translateFunctions } from "./functions.ts";
import { PARAMETERS } from "./parameters.ts";
import { pageRows, type Query, resultBody, type Session } from "./results.ts";
import { type Binding, prepareSql } from "./statements.ts";

export interface SnowflakeFakeOptions {
  account: string;
  users: Record<string, FakeUser>;
  warehouses?: string[];
  roles?: string[];
  databases?: string[];
  /** Rows in the first response (`rowset`) and in each result chunk. */
  inlineRows?: number;
  chunkRows?: number;
  /** How long a statement "executes" before its result is ready (default 0). */
  latencyMs?: (sql: string) => number;
  /** How long the server holds a query or result request open before answering "in progress". */
  longPollMs?: number;
}

/**
 * A Snowflake account speaking the REST protocol the drivers use: login-request, query-request
 * with "in progress" (333333) long-polling on getResultUrl, abort-request, result chunks on a
 * stage URL, session renew and delete, telemetry. Statements execute on an in-memory DuckDB.
 */
export class SnowflakeFake {
  readonly requests: Array<{ method: string; path: string }> = [];
  readonly aborted: string[] = [];
  /** Every statement submitted, as its SQL text. */
  readonly statements: string[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly masters = new Map<string, Session>();
  private readonly queries = new Map<string, Query>();
  private readonly chunkKey = randomBytes(16).toString("base64");
  private sessionIds = 1000;
  readonly store: DuckStore;
  private readonly options: SnowflakeFakeOptions;

  private constructor(store: DuckStore, options: SnowflakeFakeOptions) {
    this.store = store;
    this.options = options;
  }

  static async create(options: SnowflakeFakeOptions): Promise<SnowflakeFake> {
    const store = await DuckStore.create();
    // Snowflake functions DuckDB lacks, for the SQL Syncline generates (warehouse mode, ordered read).
    await store.exec(FUNCTION_MACROS);
    return new SnowflakeFake(store, options);
  }

  /** Statements submitted and still executing (not finished, failed or aborted). */
  running(): string[] {
    return [...this.queries.values()].filter((q) => q.state === "running").map((q) => q.sql);
  }

  close(): void {
    this.store.close();
  }

  handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    this.requests.push({ method: request.method, path: url.pathname });
    const path = url.pathname;
    if (request.method === "POST" && path === "/session/v1/login-request") return this.login(request, url);
    if (request.method === "GET" && path.startsWith("/stage/results/")) return this.chunk(request, path);
    if (request.method === "POST" && path === "/session/token-request") return this.renew(request);
    const session = this.sessions.get(tokenOf(request) ?? "");
    if (!session)
      return json({
        data: null,
        code: "390112",
        message: "Your session has expired. Please login again.",
        success: false,
      });
    if (request.method === "POST" && path === "/queries/v1/query-request") return this.submit(request, url, session);
    const result = /^\/queries\/([^/]+)\/result$/.exec(path);
    if (request.method === "GET" && result) return this.poll(result[1]!, url.origin);
    if (request.method === "POST" && path === "/queries/v1/abort-request") {
      const body = (await request.json()) as { requestId?: string };
      const query = [...this.queries.values()].find((q) => q.requestId === body.requestId);
      return this.abort(query?.id ?? "");
    }
    const abort = /^\/queries\/([^/]+)\/abort-request$/.exec(path);
    if (request.method === "POST" && abort) return this.abort(abort[1]!);
    if (request.method === "POST" && path === "/session" && url.searchParams.get("delete") === "true") {
      this.sessions.delete(tokenOf(request) ?? "");
      return json({ data: null, code: null, message: null, success: true });
    }
    if (request.method === "POST" && (path === "/telemetry/send" || path === "/session/heartbeat")) {
      return json({ data: null, code: null, message: null, success: true });
    }
    return new Response(JSON.stringify({ message: `no route for ${request.method} ${path}` }), { status: 404 });
  };

  private async login(request: Request, url: URL): Promise<Response> {
    const body = (await request.json()) as { data?: LoginData };
    const data = body.data ?? {};
    const failure = checkLogin(data, this.options.account, this.options.users);
    if (failure) {
      const authnMethod = data.AUTHENTICATOR ?? "USERNAME_PASSWORD";
      return json({ data: { nextAction: "RETRY_LOGIN", authnMethod, sqlState: "08004" }, ...failure, success: false });
    }
    const role = url.searchParams.get("roleName") ?? "PUBLIC";
    const warehouse = url.searchParams.get("warehouse") ?? undefined;
    const database = url.searchParams.get("databaseName") ?? undefined;
    if (!has(this.options.roles ?? ["PUBLIC"], role)) {
      return loginError(
        "390189",
        `Role '${role}' specified in the connect string does not exist or not authorized. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.`,
      );
    }
    if (warehouse && !has(this.options.warehouses ?? [], warehouse)) {
      return loginError("390201", "The requested warehouse does not exist or not authorized.");
    }
    if (database && !has(this.options.databases ?? [], database)) {
      return loginError("390201", "The requested database does not exist or not authorized.");
    }
    const session: Session = {
      id: this.sessionIds++,
      user: (data.LOGIN_NAME ?? "").toUpperCase(),
      role,
      warehouse,
      database,
      schema: url.searchParams.get("schemaName") ?? undefined,
    };
    return json({ data: this.tokens(session), code: null, message: null, success: true });
  }

  private async renew(request: Request): Promise<Response> {
    const session = this.masters.get(tokenOf(request) ?? "");
    if (!session)
      return json({
        data: null,
        code: "390114",
        message: "Authentication token has expired.  The user must authenticate again.",
        success: false,
      });
    return json({ data: this.tokens(session), code: null, message: null, success: true });
  }

  private tokens(session: Session): Record<string, unknown> {
    const token = `ver:1-hint:${session.id}-${randomUUID()}`;
    const masterToken = `ver:1-hint:${session.id}-${randomUUID()}`;
    this.sessions.set(token, session);
    this.masters.set(masterToken, session);
    return {
      token,
      masterToken,
      sessionToken: token,
      validityInSeconds: 3600,
      masterValidityInSeconds: 14400,
      validityInSecondsST: 3600,
      validityInSecondsMT: 14400,
      displayUserName: session.user,
      serverVersion: "9.0.0",
      firstLogin: false,
      healthCheckInterval: 45,
      sessionId: session.id,
      parameters: PARAMETERS,
      sessionInfo: {
        databaseName: session.database ?? null,
        schemaName: session.schema ?? null,
        warehouseName: session.warehouse ?? null,
        roleName: session.role,
      },
    };
  }

  private async submit(request: Request, url: URL, session: Session): Promise<Response> {
    const body = (await request.json()) as {
      sqlText?: string;
      parameters?: Record<string, unknown>;
      bindings?: Record<string, Binding>;
    };
    const sql = (body.sqlText ?? "").trim().replace(/;\s*$/, "");
    this.statements.push(sql);
    const now = Date.now();
    const timeout = Number(body.parameters?.STATEMENT_TIMEOUT_IN_SECONDS ?? 172800);
    const query: Query = {
      id: randomUUID(),
      requestId: url.searchParams.get("requestId") ?? randomUUID(),
      sql,
      session,
      startedAt: now,
      readyAt: now + (this.options.latencyMs?.(sql) ?? 0),
      timeoutSeconds: timeout > 0 ? timeout : 172800,
      state: "running",
      bindings: body.bindings,
    };
    this.queries.set(query.id, query);
    return this.poll(query.id, url.origin);
  }

  /** Answers with the result, the error, or "in progress" after holding the request a while. */
  private async poll(id: string, origin: string): Promise<Response> {
    const query = this.queries.get(id);
    if (!query) return json(queryError("000709", `Statement ${id} not found`, "02000", id));
    const holdUntil = Date.now() + (this.options.longPollMs ?? 500);
    while (query.state === "running") {
      const now = Date.now();
      if (now >= query.startedAt + query.timeoutSeconds * 1000) {
        query.state = "failed";
        query.error = queryError(
          "000630",
          `Statement reached its statement or warehouse timeout of ${query.timeoutSeconds} second(s) and was canceled.`,
          "57014",
          id,
        );
      } else if (now >= query.readyAt) {
        await this.execute(query);
      } else if (now >= holdUntil) {
        return json({
          data: { queryId: id, getResultUrl: `/queries/${id}/result`, queryAbortsAfterSecs: 300, progressDesc: null },
          code: "333333",
          message: "Query execution in progress",
          success: true,
        });
      } else {
        await new Promise((resolve) => setTimeout(resolve, Math.min(25, holdUntil - now)));
      }
    }
    if (query.state === "aborted") return json(queryError("000604", "SQL execution canceled", "57014", id));
    if (query.state === "failed") return json(query.error!);
    return json(await resultBody(this.store, query, origin, this.chunkKey, this.options));
  }

  private async execute(query: Query): Promise<void> {
    try {
      const sql = translateFunctions(prepareSql(query.sql, query.bindings), (id) => this.resultOf(id, query));
      const result = await this.store.run(sql);
      if (query.state !== "running") {
        await this.store.drop(result.table);
        return;
      }
      query.result = result;
      query.encodings = result.columns.map((column) => encodeColumn(column.name, column.type));
      query.state = "done";
    } catch (error) {
      query.state = "failed";
      query.error =
        error instanceof FakeStatementError
          ? queryError(error.code, error.message, error.sqlState, query.id)
          : queryError(error, undefined, undefined, query.id);
    }
  }

  /** The table holding a finished query's result, for RESULT_SCAN by the same user. */
  private resultOf(id: string, by: Query): string | undefined {
    const query = this.queries.get(id);
    return query?.session.user === by.session.user ? query.result?.table : undefined;
  }

  /** A result chunk as cloud storage serves it: the rows' JSON arrays, comma-separated, no brackets. */
  private async chunk(request: Request, path: string): Promise<Response> {
    if (request.headers.get("x-amz-server-side-encryption-customer-key") !== this.chunkKey) {
      return new Response("<Error><Code>AccessDenied</Code></Error>", {
        status: 403,
        headers: { "content-type": "application/xml" },
      });
    }
    const id = path.split("/")[3] ?? "";
    const query = this.queries.get(id);
    const params = new URL(request.url).searchParams;
    if (!query?.result)
      return new Response("<Error><Code>NoSuchKey</Code></Error>", {
        status: 404,
        headers: { "content-type": "application/xml" },
      });
    const rows = await pageRows(this.store, query, Number(params.get("offset")), Number(params.get("rows")));
    return new Response(rows.map((row) => JSON.stringify(row)).join(","), {
      headers: { "content-type": "binary/octet-stream" },
    });
  }

  private abort(id: string): Response {
    const query = this.queries.get(id);
    if (query) {
      this.aborted.push(query.sql);
      if (query.state === "running") query.state = "aborted";
    }
    return json({ data: null, code: null, message: null, success: true });
  }
}

function tokenOf(request: Request): string | undefined {
  return /Snowflake Token="([^"]*)"/.exec(request.headers.get("authorization") ?? "")?.[1];
}

function has(list: string[], name: string): boolean {
  return list.some((item) => item.toUpperCase() === name.toUpperCase());
}

function loginError(code: string, message: string): Response {
  return json({
    data: { nextAction: "RETRY_LOGIN", authnMethod: "USERNAME_PASSWORD", sqlState: "08004" },
    code,
    message,
    success: false,
  });
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
}
