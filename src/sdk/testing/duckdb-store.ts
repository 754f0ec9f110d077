import { type DuckDBConnection, DuckDBInstance, type DuckDBType } from "@duckdb/node-api";

export interface StoredResult {
  table: string;
  rows: number;
  columns: Array<{ name: string; type: DuckDBType }>;
}

/**
 * The fake warehouse's storage: an in-memory DuckDB. A query's result is materialised into
 * a temporary table (as a warehouse materialises a result set) and served a page at a time,
 * so the JavaScript heap never holds more than one page.
 */
export class DuckStore {
  private queue: Promise<unknown> = Promise.resolve();
  private next = 0;
  private readonly instance: DuckDBInstance;
  private readonly connection: DuckDBConnection;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.instance = instance;
    this.connection = connection;
  }

  static async create(): Promise<DuckStore> {
    const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    return new DuckStore(instance, await instance.connect());
  }

  /** Runs statements (fixtures, DDL) directly. */
  exec(sql: string): Promise<void> {
    return this.serial(async () => {
      await this.connection.run(sql);
    });
  }

  /** Executes a query into a result table. Throws DuckDB's error for bad SQL. */
  materialize(sql: string): Promise<StoredResult> {
    return this.serial(async () => {
      const table = `result_${++this.next}`;
      await this.connection.run(`CREATE TEMP TABLE ${table} AS SELECT * FROM (${sql}) AS q`);
      const shape = await this.connection.run(`SELECT * FROM ${table} LIMIT 0`);
      const types = shape.columnTypes();
      const columns = shape.columnNames().map((name, i) => ({ name, type: types[i]! }));
      const count = await this.connection.runAndReadAll(`SELECT count(*)::INTEGER FROM ${table}`);
      return { table, rows: Number(count.getRows()[0]![0]), columns };
    });
  }

  /**
   * Executes any statement as a warehouse does: a query into a result table (materialize);
   * anything else (DDL, DML, BEGIN/COMMIT, a script of several statements) as it is, answered
   * with one status row.
   */
  async run(sql: string): Promise<StoredResult> {
    if (isQuery(sql)) return this.materialize(sql);
    await this.exec(sql);
    return this.materialize("SELECT 'Statement executed successfully.' AS status");
  }

  /** Rows [offset, offset + limit) of a result, each column rendered by its SQL expression as text. */
  page(table: string, expressions: string[], offset: number, limit: number): Promise<Array<Array<string | null>>> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(
        `SELECT ${expressions.map((e) => `(${e})::VARCHAR`).join(", ")} FROM ${table} WHERE rowid >= ${offset} AND rowid < ${offset + limit} ORDER BY rowid`,
      );
      return reader.getRows() as Array<Array<string | null>>;
    });
  }

  drop(table: string): Promise<void> {
    return this.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Whether SQL is a query (its result is rows), by its first keyword after comments and parentheses. */
export function isQuery(sql: string): boolean {
  const start = sql.replace(/^(?:\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, "");
  return /^(select|with|values|from|table|show|describe|summarize|pivot|unpivot)\b/i.test(start);
}

/** DuckDB's error type, the prefix of its messages ("Catalog Error: …"). */
export function duckErrorType(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^([A-Za-z ]+) Error:/.exec(message)?.[1] ?? "";
}

export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
