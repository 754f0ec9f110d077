// A Syncline source plugin: reads a model (SQL or a table) from a warehouse and streams its
// rows as canonical values. Syncline's engine does the diff, the batching and the delivery.
//
// The warehouse's statement API it talks to (replace it with yours):
//   POST   /v1/statements {sql}                 201 {id, state: "running" | "succeeded" | "failed"}
//   GET    /v1/statements/{id}                  {id, state, columns: [{name, type}], rows, error?}
//   GET    /v1/statements/{id}/rows?offset&limit  {rows: [[value as text | null, ...]]}
//   DELETE /v1/statements/{id}                  cancels a running statement, drops a result
// Auth: `Authorization: Bearer <apiKey>`. Errors: {error: {code, message}}, code syntax_error
// or not_found for bad SQL. Values travel as text: integers and decimals as digits, floats
// (nan, inf), dates YYYY-MM-DD, timestamps as epoch microseconds, lists, structs and JSON as
// JSON text, binary as base64.
import {
  type CanonicalRow,
  type CanonicalValue,
  type Column,
  ConfigurationError,
  canonicalDecimal,
  canonicalFloat,
  canonicalInteger,
  canonicalJsonText,
  canonicalTimestamp,
  defineSource,
  errorForStatus,
  type Model,
  type SourceContext,
  secret,
  TransientError,
} from "syncline/sdk";
import * as v from "valibot";

const config = v.object({
  apiKey: v.pipe(v.string(), v.minLength(1, "apiKey is required"), secret()),
  baseUrl: v.optional(v.pipe(v.string(), v.url()), "https://warehouse.example.com"),
  /** Rows per page: the memory a read holds at once. */
  pageSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), 10_000),
});

export type Config = v.InferOutput<typeof config>;
type Context = SourceContext<Config>;

interface Statement {
  id: string;
  state: "running" | "succeeded" | "failed" | "cancelled";
  columns?: Column[];
  rows?: number;
  error?: { code: string; message: string };
}

/** One call to the API; every failure becomes a Syncline error with a fix. */
async function call<T>(ctx: Context, method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new URL(path, ctx.config.baseUrl), {
      method,
      headers: { authorization: `Bearer ${ctx.config.apiKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new TransientError(`cannot reach the warehouse at ${ctx.config.baseUrl}`, {
      code: "network",
      fix: "check baseUrl and that the warehouse is reachable from here",
      cause,
    });
  }
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : {}) as T & { error?: { code: string; message: string } };
  if (response.status === 401 || response.status === 403) {
    throw new ConfigurationError("the warehouse refused the API key", {
      code: `http_${response.status}`,
      fix: "set apiKey to a valid key with read access",
    });
  }
  if (!response.ok) throw errorForStatus(response.status, response.headers, parsed.error?.message ?? "");
  return parsed;
}

/** Runs a statement to completion; an abort cancels it on the warehouse. */
async function execute(ctx: Context, sql: string): Promise<Statement> {
  if (ctx.signal.aborted) throw new TransientError("the read was cancelled before it started", { code: "aborted" });
  let statement = await call<Statement>(ctx, "POST", "v1/statements", { sql });
  while (statement.state === "running") {
    if (ctx.signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    statement = await call<Statement>(ctx, "GET", `v1/statements/${statement.id}`);
  }
  if (ctx.signal.aborted) {
    await call(ctx, "DELETE", `v1/statements/${statement.id}`).catch(() => undefined);
    throw new TransientError("the read was cancelled", { code: "aborted" });
  }
  if (statement.state !== "succeeded") {
    const error = statement.error ?? { code: statement.state, message: `the statement ${statement.state}` };
    throw new ConfigurationError(`the warehouse refused the model's SQL: ${error.message}`, {
      code: error.code,
      fix: "fix the model's SQL, or the table it names",
    });
  }
  return statement;
}

/** A value as text, of a column of this type, in Syncline's canonical form. */
function canonical(type: string, text: string | null): CanonicalValue {
  if (text === null) return null;
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(type)) {
    return canonicalInteger(BigInt(text));
  }
  const decimal = /^DECIMAL\(\d+,(\d+)\)$/.exec(type);
  if (decimal) return decimal[1] === "0" ? canonicalInteger(BigInt(text)) : canonicalDecimal(text);
  if (type === "DOUBLE" || type === "FLOAT") {
    return canonicalFloat(text === "inf" ? Infinity : text === "-inf" ? -Infinity : Number(text));
  }
  if (type === "BOOLEAN") return text === "true";
  if (type.startsWith("TIMESTAMP")) return canonicalTimestamp(BigInt(text));
  if (type === "JSON" || /\[\d*\]$|^STRUCT\(|^MAP\(/.test(type)) return canonicalJsonText(text);
  return text; // text, dates (YYYY-MM-DD), binary (base64)
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function modelSql(model: Model): string {
  if (model.kind === "sql") return model.sql;
  const { database, schema, name } = model.relation;
  return `SELECT * FROM ${[database, schema, name]
    .filter(Boolean)
    .map((part) => quote(part!))
    .join(".")}`;
}

export default defineSource({
  name: "__PLUGIN_NAME__", // the `type:` users write in syncline.yaml
  description: "A warehouse's statement API",
  config,
  async check(ctx) {
    const statement = await execute(ctx, "SELECT 1 AS ok");
    await call(ctx, "DELETE", `v1/statements/${statement.id}`);
  },
  async columns(ctx, model) {
    const statement = await execute(ctx, `SELECT * FROM (${modelSql(model)}) AS model LIMIT 0`);
    await call(ctx, "DELETE", `v1/statements/${statement.id}`);
    return statement.columns ?? [];
  },
  async *read(ctx, model, { columns }) {
    const list = columns.map(quote).join(", ");
    const statement = await execute(ctx, `SELECT ${list} FROM (${modelSql(model)}) AS model`);
    const types = new Map((statement.columns ?? []).map((column) => [column.name, column.type]));
    try {
      for (let offset = 0; offset < (statement.rows ?? 0); offset += ctx.config.pageSize) {
        const path = `v1/statements/${statement.id}/rows?offset=${offset}&limit=${ctx.config.pageSize}`;
        const page = await call<{ rows: Array<Array<string | null>> }>(ctx, "GET", path);
        if (ctx.signal.aborted) throw new TransientError("the read was cancelled", { code: "aborted" });
        yield page.rows.map((values) => {
          const row: CanonicalRow = {};
          columns.forEach((name, i) => {
            row[name] = canonical(types.get(name) ?? "VARCHAR", values[i] ?? null);
          });
          return row;
        });
      }
    } finally {
      await call(ctx, "DELETE", `v1/statements/${statement.id}`).catch(() => undefined);
    }
  },
});
