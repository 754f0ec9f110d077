// A fake of the warehouse's statement API for tests: SQL runs on an in-memory DuckDB (the kit's
// DuckStore), results are materialised and served a page at a time, statements run
// asynchronously and can be cancelled, and the key is checked, as the real API documents.
import { DuckStore, duckErrorType, quote, serveFetch } from "syncline/sdk/testing";

export const FAKE_API_KEY = "fake-warehouse-key";
/** SQL that contains this marker takes `slowMs` before it finishes (to test cancellation). */
export const SLOW_MARKER = "fake_slow_statement";

/** @typedef {{ apiKey?: string, slowMs?: number, maxPage?: number }} FakeOptions */
/**
 * @typedef {{ id: string, sql: string, state: "running" | "succeeded" | "failed" | "cancelled",
 *   result?: import("syncline/sdk/testing").StoredResult, error?: { code: string, message: string },
 *   cancel: () => void }} Statement
 */

/** How each column's values travel: the SQL rendering them as text, by type name. */
/**
 * @param {string} name
 * @param {string} type
 */
function rendering(name, type) {
  const column = quote(name);
  if (type === "JSON") return column;
  if (/\[\d*\]$|^STRUCT\(|^MAP\(/.test(type)) return `to_json(${column})`; // lists, structs, maps: JSON
  if (type === "BLOB") return `base64(${column})`;
  if (type.startsWith("TIMESTAMP")) return `epoch_us(${column})`; // microseconds since the epoch, UTC
  return column; // numbers, dates, booleans, text: DuckDB's own text
}

/** @param {import("@duckdb/node-api").DuckDBType} type */
function typeName(type) {
  return type.alias ?? type.toString();
}

/** @param {FakeOptions} [options] */
export async function createFake(options = {}) {
  const apiKey = options.apiKey ?? FAKE_API_KEY;
  const store = await DuckStore.create();
  await store.exec("SET TimeZone = 'UTC'");
  /** @type {Map<string, Statement>} */
  const statements = new Map();
  /** @type {string[]} */
  const cancelled = [];
  let next = 1;
  /** @param {number} status @param {unknown} body */
  const json = (status, body) => Response.json(body, { status });
  /** @param {number} status @param {string} code @param {string} message */
  const error = (status, code, message) => json(status, { error: { code, message } });

  /** @param {string} sql @returns {Statement} */
  function start(sql) {
    /** @type {Statement} */
    const statement = { id: `s${next++}`, sql, state: "running", cancel: () => {} };
    statements.set(statement.id, statement);
    /** @type {Promise<void>} */
    const wait = new Promise((resolve) => {
      const timer = setTimeout(resolve, sql.includes(SLOW_MARKER) ? (options.slowMs ?? 120_000) : 0);
      statement.cancel = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    void wait
      .then(() => (statement.state === "running" ? store.materialize(sql) : undefined))
      .then(
        (result) => {
          if (statement.state !== "running") return;
          statement.result = result;
          statement.state = "succeeded";
        },
        (/** @type {unknown} */ failure) => {
          const kind = duckErrorType(failure);
          const code = kind === "Parser" ? "syntax_error" : kind === "Catalog" ? "not_found" : "invalid_statement";
          statement.error = { code, message: /** @type {Error} */ (failure).message };
          statement.state = "failed";
        },
      );
    return statement;
  }

  /** @param {Statement} statement */
  function describe(statement) {
    const { id, state, result, error: failure } = statement;
    const columns = result?.columns.map((column) => ({ name: column.name, type: typeName(column.type) }));
    return { id, state, ...(result ? { columns, rows: result.rows } : {}), ...(failure ? { error: failure } : {}) };
  }

  /**
   * @param {Request} request
   * @returns {Promise<Response>}
   */
  async function answer(request) {
    if (request.headers.get("authorization") !== `Bearer ${apiKey}`) {
      return error(401, "unauthorized", "invalid API key");
    }
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/v1/statements") {
      const body = /** @type {{ sql?: unknown }} */ (await request.json().catch(() => ({})));
      if (typeof body.sql !== "string") return error(400, "bad_request", "sql is required");
      return json(201, describe(start(body.sql)));
    }
    const match = /^\/v1\/statements\/([^/]+)(\/rows)?$/.exec(url.pathname);
    const statement = match ? statements.get(match[1] ?? "") : undefined;
    if (!statement) return error(404, "not_found", "no such statement");
    if (request.method === "DELETE" && !match?.[2]) {
      if (statement.state === "running") {
        statement.state = "cancelled";
        cancelled.push(statement.sql);
        statement.cancel();
      }
      statements.delete(statement.id);
      if (statement.result) await store.drop(statement.result.table);
      return new Response(null, { status: 204 });
    }
    if (request.method === "GET" && !match?.[2]) return json(200, describe(statement));
    if (request.method === "GET" && statement.state === "succeeded" && statement.result) {
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const limit = Math.min(Number(url.searchParams.get("limit") ?? 1000), options.maxPage ?? 10_000);
      const expressions = statement.result.columns.map((column) => rendering(column.name, typeName(column.type)));
      return json(200, { rows: await store.page(statement.result.table, expressions, offset, limit) });
    }
    return error(409, "not_ready", `statement ${statement.id} is ${statement.state}`);
  }

  return {
    fetch: answer,
    /** Runs SQL directly (fixtures). */
    exec: (/** @type {string} */ sql) => store.exec(sql),
    /** The SQL of the statements still running. */
    running: () => [...statements.values()].filter((s) => s.state === "running").map((s) => s.sql),
    /** The SQL of the statements cancelled by a client. */
    cancelled,
    close: () => store.close(),
  };
}

/**
 * The fake on a loopback port: `{ url, fake, close() }`.
 * @param {FakeOptions} [options]
 */
export async function startFake(options) {
  const fake = await createFake(options);
  const served = await serveFetch(fake.fetch);
  return {
    url: served.url,
    fake,
    close: async () => {
      await served.close();
      fake.close();
    },
  };
}
