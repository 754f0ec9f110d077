/**
 * The contract every warehouse source must meet, as a test suite a plugin runs against
 * its own warehouse (a real server or a protocol fake):
 *
 *   runSourceContract({ name: "postgres", plugin, config, sql: {...}, peopleTable, ... });
 *
 * The fixtures are logical values (TYPE_CASES, PEOPLE); each warehouse writes them in its
 * own SQL dialect, and every source must produce exactly the same canonical values.
 */
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { classify } from "../errors/classify.ts";
import { isSynclineError, type SynclineError } from "../errors/syncline-error.ts";
import type { Logger } from "../logger.ts";
import type { Model, Relation, SourceContext, SourceDefinition } from "../source.ts";
import type { CanonicalRow, CanonicalValue } from "../values.ts";
import { orderedReadContract } from "./ordered-read-contract.ts";
import { currentRunner } from "./runner.ts";

/** One row (`id` 1) of these values, then a row (`id` 2) where every column is NULL. */
export const TYPE_CASES = {
  c_int: 42, // INTEGER
  c_bigint: "9007199254740993", // BIGINT above 2^53
  c_bigint_min: "-9223372036854775808",
  c_num38: "12345678901234567890123456789012345678", // NUMBER(38,0) / DECIMAL(38,0)
  c_num38_small: 42, // NUMBER(38,0) holding 42: scale-0 decimals are integers (Snowflake's INT is NUMBER(38,0))
  c_float: 1.5, // DOUBLE
  c_float_nan: "NaN",
  c_decimal: "12345678901234567890.123456789", // DECIMAL(38,9)
  c_decimal_trailing: "1.5", // DECIMAL(10,2) 1.50
  c_decimal_integral: "2", // DECIMAL(10,2) 2.00
  c_date: "2024-02-29",
  c_ts: "2024-01-02T03:04:05.123456Z", // TIMESTAMP '2024-01-02 03:04:05.123456' (no zone: read as UTC)
  c_ts_old: "1969-12-31T23:59:59.999999Z", // TIMESTAMP '1969-12-31 23:59:59.999999'
  c_tstz: "2024-01-02T03:04:05.5Z", // TIMESTAMP WITH TIME ZONE '2024-01-02 05:04:05.5+02:00'
  c_bool: true,
  c_text: 'héllo "world"',
  c_json: { a: [1, 2, { c: "x", d: null }], b: 1 }, // JSON '{"b":1,"a":[1,2,{"d":null,"c":"x"}]}'
  c_array: [1, 2, 3], // ARRAY of integers
  c_struct: { x: 1, y: "a" }, // STRUCT/OBJECT {y: 'a', x: 1}
  c_binary: "3q2+7w==", // bytes DE AD BE EF
} satisfies CanonicalRow;

export type TypeColumn = keyof typeof TYPE_CASES;

/** Rows of the `people` table (composite key region + id), as loaded and as read back. */
export const PEOPLE = [
  { region: "eu", id: 1, name: "Ada", score: "10.50", updatedAt: "2024-03-01 10:00:00.25" },
  { region: "eu", id: 2, name: "Cy", score: null, updatedAt: "2024-03-02 11:30:00" },
  { region: "us", id: 1, name: "Bob", score: "-3.00", updatedAt: "2024-03-03 12:00:00.000001" },
] as const;

export const PEOPLE_CANONICAL: CanonicalRow[] = [
  { region: "eu", id: 1, name: "Ada", score: "10.5", updated_at: "2024-03-01T10:00:00.25Z" },
  { region: "eu", id: 2, name: "Cy", score: null, updated_at: "2024-03-02T11:30:00Z" },
  { region: "us", id: 1, name: "Bob", score: "-3", updated_at: "2024-03-03T12:00:00.000001Z" },
];

export interface SourceContractOptions<TConfig> {
  name: string;
  plugin: SourceDefinition<TConfig>;
  /** A working configuration (called after `setup`). */
  config(): TConfig;
  /** Creates the fixtures (`people` table …) in the warehouse. */
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  sql: {
    /** Columns `id` and every TYPE_CASES column (minus `unsupportedTypes`), rows id 1 and 2. */
    types: string;
    /** n rows: id 1..n (integer), k1 text 'k' || (id % 7), k2 integer id % 1000, pad text of 200 chars. */
    series(n: number): string;
    /** Runs for 30 s or more before its first row; one column `id`. */
    slow: string;
    syntaxError: string;
    missingTable: string;
  };
  /** The PEOPLE rows as a table with columns region, id, name, score DECIMAL(10,2), updated_at TIMESTAMP. */
  peopleTable: Relation;
  /** Types the warehouse does not have, with the reason. */
  unsupportedTypes?: Partial<Record<TypeColumn, string>>;
  /** What the warehouse returns for NULL where it has no NULL (BigQuery: an empty array for c_array). */
  nullValues?: Partial<Record<TypeColumn, CanonicalValue>>;
  /** Points at a closed port or unknown host. */
  unreachableConfig(): TConfig;
  /** A wrong password or key. */
  badCredentialsConfig?(): TConfig;
  /** Secret values that must never appear in logs or error messages. */
  secrets?: string[];
  /** True once the slow query is running on the server. */
  slowQueryRunning?(): Promise<boolean>;
  /** True once the server no longer runs the slow query because it was cancelled. */
  slowQueryCancelled(): Promise<boolean>;
  /** Rows in the streaming test (default 200 000) and the heap growth allowed (default 32 MB). */
  streamRows?: number;
  heapLimitMb?: number;
}

export function runSourceContract<TConfig>(options: SourceContractOptions<TConfig>): void {
  const { plugin, sql } = options;
  const logged: string[] = [];
  const state = new Map<string, unknown>();
  const context = (signal = new AbortController().signal, config = options.config(), own = state) =>
    ({
      config,
      logger: recordingLogger(logged),
      signal,
      state: own,
      baseDir: process.cwd(),
    }) satisfies SourceContext<TConfig>;
  const sqlModel = (text: string): Model => ({ kind: "sql", sql: text });
  const expectedTypes = Object.fromEntries(
    Object.entries(TYPE_CASES).filter(([column]) => !(column in (options.unsupportedTypes ?? {}))),
  ) as CanonicalRow;
  const typeColumns = ["id", ...Object.keys(expectedTypes)];
  const { describe, it, before, after } = currentRunner();

  describe(`source contract: ${options.name}`, () => {
    before(async () => {
      await options.setup?.();
    });
    after(async () => {
      await plugin.close?.(context());
      await options.teardown?.();
    });

    it("check() connects and runs a trivial query", async () => {
      assert.equal(await plugin.check(context()), undefined);
    });

    it("columns() lists the model's columns in order without reading rows", async () => {
      const columns = await plugin.columns(context(), sqlModel(sql.types));
      assert.deepEqual(
        columns.map((column) => column.name),
        typeColumns,
      );
      for (const column of columns) assert.ok(column.type, `column ${column.name} has no type`);
    });

    it("reads every type as its canonical value", async () => {
      const rows = await readAll(plugin.read(context(), sqlModel(sql.types), { columns: typeColumns }));
      rows.sort((a, b) => Number(a.id) - Number(b.id));
      assert.equal(rows.length, 2);
      const [values, nulls] = rows as [CanonicalRow, CanonicalRow];
      for (const [column, expected] of Object.entries(expectedTypes)) {
        // Exact type and, for objects, key order: the hash is taken over JSON text.
        assert.deepEqual(
          { column, value: JSON.stringify(values[column]) },
          { column, value: JSON.stringify(expected) },
        );
        const nullValue = options.nullValues?.[column as TypeColumn] ?? null;
        assert.deepEqual({ column, value: nulls[column] }, { column, value: nullValue });
      }
      assert.deepEqual(Object.keys(values), typeColumns);
    });

    it("selects only the requested columns, in the requested order", async () => {
      const rows = await readAll(plugin.read(context(), sqlModel(sql.series(10)), { columns: ["pad", "id"] }));
      assert.equal(rows.length, 10);
      for (const row of rows) assert.deepEqual(Object.keys(row), ["pad", "id"]);
      assert.deepEqual(
        rows.map((row) => row.id).sort((a, b) => Number(a) - Number(b)),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
    });

    it("reads a table model with a composite key's columns", async () => {
      const model: Model = { kind: "table", relation: options.peopleTable };
      const columns = ["region", "id", "name", "score", "updated_at"];
      const rows = await readAll(plugin.read(context(), model, { columns }));
      rows.sort((a, b) => `${a.region}/${a.id}`.localeCompare(`${b.region}/${b.id}`));
      assert.equal(JSON.stringify(rows), JSON.stringify(PEOPLE_CANONICAL));
      const keys = new Set(rows.map((row) => JSON.stringify([row.region, row.id])));
      assert.equal(keys.size, PEOPLE.length);
    });

    it("streams a large model in chunks with bounded memory", async () => {
      const total = options.streamRows ?? 200_000;
      const limit = (options.heapLimitMb ?? 32) * 1024 * 1024;
      const gc = exposeGc();
      gc();
      const baseline = process.memoryUsage().heapUsed;
      let peak = 0;
      let count = 0;
      let chunks = 0;
      let largest = 0;
      let idSum = 0;
      const columns = ["id", "k1", "k2", "pad"];
      const started = performance.now();
      for await (const chunk of plugin.read(context(), sqlModel(sql.series(total)), { columns })) {
        chunks++;
        count += chunk.length;
        largest = Math.max(largest, chunk.length);
        for (const row of chunk) idSum += row.id as number;
        if (chunks % 8 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        }
      }
      const seconds = (performance.now() - started) / 1000;
      console.info(
        `${options.name}: ${count} rows in ${chunks} chunks, ${seconds.toFixed(2)} s, heap peak +${(peak / 1048576).toFixed(1)} MB`,
      );
      assert.equal(count, total);
      assert.equal(idSum, (total * (total + 1)) / 2);
      assert.ok(chunks > 1, `${total} rows came in ${chunks} chunk(s): read() must stream`);
      assert.ok(largest <= 50_000, `a chunk of ${largest} rows: at most 50,000`);
      assert.ok(peak < limit, `heap grew by ${(peak / 1048576).toFixed(1)} MB while streaming`);
    });

    if (plugin.readOrdered) orderedReadContract(it, plugin, () => context(), sqlModel(sql.series(3000)), 3000);

    it("classifies a syntax error as a configuration error", async () => {
      const error = await failure(readAll(plugin.read(context(), sqlModel(sql.syntaxError), { columns: ["id"] })));
      assert.equal(error.kind, "configuration");
      assert.ok(error.fix, "the error has no fix");
    });

    it("classifies a missing table as a configuration error, from read() and columns()", async () => {
      const model = sqlModel(sql.missingTable);
      const fromRead = await failure(readAll(plugin.read(context(), model, { columns: ["id"] })));
      assert.equal(fromRead.kind, "configuration");
      const fromColumns = await failure(plugin.columns(context(), model));
      assert.equal(fromColumns.kind, "configuration");
      const fromTable = await failure(
        plugin.columns(context(), { kind: "table", relation: { ...options.peopleTable, name: "no_such_table_x" } }),
      );
      assert.equal(fromTable.kind, "configuration");
    });

    it("reports an unreachable warehouse with a fix", async () => {
      const own = new Map<string, unknown>();
      const ctx = context(undefined, options.unreachableConfig(), own);
      try {
        const error = await within(failure(plugin.check(ctx)), 45_000, "check() to fail");
        assert.ok(["transient", "configuration"].includes(error.kind), `kind ${error.kind}`);
        assert.ok(error.fix, "the error has no fix");
      } finally {
        await plugin.close?.(ctx);
      }
    });

    // Only for sources that have credentials (DuckDB has none): not registered, rather than skipped.
    (options.badCredentialsConfig === undefined ? () => undefined : it)(
      "reports bad credentials as a configuration error",
      async () => {
        const own = new Map<string, unknown>();
        const ctx = context(undefined, options.badCredentialsConfig!(), own);
        try {
          const error = await failure(plugin.check(ctx));
          assert.equal(error.kind, "configuration");
          assert.ok(error.fix, "the error has no fix");
          for (const value of options.secrets ?? []) assert.ok(!error.describe().includes(value), "a secret leaked");
        } finally {
          await plugin.close?.(ctx);
        }
      },
    );

    it("cancels a running query on the server when the signal aborts", async () => {
      const controller = new AbortController();
      const iterator = plugin.read(context(controller.signal), sqlModel(sql.slow), { columns: ["id"] });
      const pending = readAll(iterator);
      pending.catch(() => undefined);
      await waitFor(async () => (options.slowQueryRunning ? options.slowQueryRunning() : true), 15_000);
      const abortedAt = Date.now();
      controller.abort();
      const error = await within(failure(pending), 10_000, "the read to stop after the abort");
      assert.equal(error.kind, "transient");
      assert.ok(Date.now() - abortedAt < 10_000, "the read took 10 s or more to stop");
      await waitFor(() => options.slowQueryCancelled(), 10_000);
    });

    it("does not lose an abort that arrives while the source is still connecting", async () => {
      const controller = new AbortController();
      const ctx = context(controller.signal, undefined, new Map<string, unknown>());
      try {
        const pending = readAll(plugin.read(ctx, sqlModel(sql.slow), { columns: ["id"] }));
        pending.catch(() => undefined);
        controller.abort(); // the read has started and is opening its connection
        const error = await within(failure(pending), 10_000, "the read to stop after an abort during connect");
        assert.equal(error.kind, "transient");
        if (options.slowQueryRunning) await waitFor(async () => !(await options.slowQueryRunning!()), 10_000);
      } finally {
        await plugin.close?.(ctx);
      }
    });

    it("stops streaming as soon as the signal aborts", async () => {
      const controller = new AbortController();
      const iterator = plugin.read(context(controller.signal), sqlModel(sql.series(100_000)), { columns: ["id"] });
      let after = 0;
      const error = await failure(
        (async () => {
          for await (const chunk of iterator) {
            if (controller.signal.aborted) after += chunk.length;
            controller.abort();
          }
        })(),
      );
      assert.equal(error.kind, "transient");
      assert.equal(after, 0);
    });

    it("refuses to start when the signal is already aborted", async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await failure(
        readAll(plugin.read(context(controller.signal), sqlModel(sql.series(5)), { columns: ["id"] })),
      );
      assert.equal(error.kind, "transient");
    });

    ((options.secrets ?? []).length === 0 ? () => undefined : it)("never logs a secret", () => {
      const text = logged.join("\n");
      for (const value of options.secrets ?? []) assert.ok(!text.includes(value), "a secret was logged");
    });
  });
}

async function readAll(rows: AsyncIterable<CanonicalRow[]>): Promise<CanonicalRow[]> {
  const out: CanonicalRow[] = [];
  for await (const chunk of rows) out.push(...chunk);
  return out;
}

/** The error a promise rejects with, classified as the engine would. */
async function failure(promise: Promise<unknown>): Promise<SynclineError> {
  try {
    await promise;
  } catch (error) {
    return isSynclineError(error) ? error : classify(error);
  }
  throw new Error("expected the operation to fail, but it succeeded");
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

function recordingLogger(lines: string[]): Logger {
  const record = (obj: object | string, msg?: string) => {
    lines.push(typeof obj === "string" ? obj : `${safeJson(obj)} ${msg ?? ""}`);
  };
  const logger: Logger = { debug: record, info: record, warn: record, error: record, child: () => logger };
  return logger;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item));
  } catch {
    return String(value);
  }
}
