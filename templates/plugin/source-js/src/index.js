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
  ConfigurationError,
  canonicalDecimal,
  canonicalFloat,
  canonicalInteger,
  canonicalJsonText,
  canonicalTimestamp,
  defineSource,
  errorForStatus,
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

/** @typedef {v.InferOutput<typeof config>} Config */
/** @typedef {import("syncline/sdk").SourceContext<Config>} Context */
/**
 * @typedef {{ id: string, state: "running" | "succeeded" | "failed" | "cancelled",
 *   columns?: import("syncline/sdk").Column[], rows?: number, error?: { code: string, message: string } }} Statement
 */

/**
 * One call to the API; every failure becomes a Syncline error with a fix.
 * @template T
 * @param {Context} ctx
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<T>}
 */
async function call(ctx, method, path, body) {
  let response;
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
  /** @type {T & { error?: { code: string, message: string } }} */
  const parsed = text ? JSON.parse(text) : {};
  if (response.status === 401 || response.status === 403) {
    throw new ConfigurationError("the warehouse refused the API key", {
      code: `http_${response.status}`,
      fix: "set apiKey to a valid key with read access",
    });
  }
  if (!response.ok) throw errorForStatus(response.status, response.headers, parsed.error?.message ?? "");
  return parsed;
}

/**
 * Runs a statement to completion; an abort cancels it on the warehouse.
 * @param {Context} ctx
 * @param {string} sql
 * @returns {Promise<Statement>}
 */
async function execute(ctx, sql) {
  if (ctx.signal.aborted) throw new TransientError("the read was cancelled before it started", { code: "aborted" });
  /** @type {Statement} */
  let statement = await call(ctx, "POST", "v1/statements", { sql });
  while (statement.state === "running") {
    if (ctx.signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    statement = /** @type {Statement} */ (await call(ctx, "GET", `v1/statements/${statement.id}`));
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

/**
 * A value as text, of a column of this type, in Syncline's canonical form.
 * @param {string} type
 * @param {string | null} text
 * @returns {import("syncline/sdk").CanonicalValue}
 */
function canonical(type, text) {
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

/** @param {string} name */
function quote(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

/** @param {import("syncline/sdk").Model} model */
function modelSql(model) {
  if (model.kind === "sql") return model.sql;
  const { database, schema, name } = model.relation;
  return `SELECT * FROM ${[database, schema, name]
    .filter(Boolean)
    .map((part) => quote(String(part)))
    .join(".")}`;
}

export default defineSource({
  name: "__PLUGIN_NAME__", // the `type:` users write in syncline.yaml
  description: "A warehouse's statement API",
  config,
  /** @param {Context} ctx */
  async check(ctx) {
    const statement = await execute(ctx, "SELECT 1 AS ok");
    await call(ctx, "DELETE", `v1/statements/${statement.id}`);
  },
  /**
   * @param {Context} ctx
   * @param {import("syncline/sdk").Model} model
   */
  async columns(ctx, model) {
    const statement = await execute(ctx, `SELECT * FROM (${modelSql(model)}) AS model LIMIT 0`);
    await call(ctx, "DELETE", `v1/statements/${statement.id}`);
    return statement.columns ?? [];
  },
  /**
   * @param {Context} ctx
   * @param {import("syncline/sdk").Model} model
   * @param {import("syncline/sdk").ReadOptions} options
   */
  async *read(ctx, model, { columns }) {
    const list = columns.map(quote).join(", ");
    const statement = await execute(ctx, `SELECT ${list} FROM (${modelSql(model)}) AS model`);
    const types = new Map((statement.columns ?? []).map((column) => [column.name, column.type]));
    try {
      for (let offset = 0; offset < (statement.rows ?? 0); offset += ctx.config.pageSize) {
        const path = `v1/statements/${statement.id}/rows?offset=${offset}&limit=${ctx.config.pageSize}`;
        /** @type {{ rows: Array<Array<string | null>> }} */
        const page = await call(ctx, "GET", path);
        if (ctx.signal.aborted) throw new TransientError("the read was cancelled", { code: "aborted" });
        yield page.rows.map((values) => {
          /** @type {import("syncline/sdk").CanonicalRow} */
          const row = {};
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
