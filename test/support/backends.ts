import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import duckdb from "../../plugins/duckdb/index.ts";
import type { SourceDefinition } from "../../src/sdk/source.ts";

export type ModelRows = Map<string, Record<string, unknown>>;

/**
 * Where a harness's model lives: a warehouse the suite's SQL runs against (table `people`,
 * written in DuckDB's dialect; each backend makes that SQL work), and the source that reads it.
 */
export interface WarehouseBackend {
  readonly name: string;
  /** A schema for Syncline's managed tables that no other harness uses. */
  readonly diffSchema: string;
  open(dir: string): Promise<void>;
  source(warehouseMode: boolean): { plugin: SourceDefinition<unknown>; config: unknown };
  sql(statements: string): Promise<void>;
  model(): Promise<ModelRows>;
  /** Runs a query (in the backend's own dialect, tables schema-qualified) and returns its rows. */
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}

export function modelRows(rows: Array<Record<string, unknown>>): ModelRows {
  const out: ModelRows = new Map();
  for (const row of rows) out.set(String(row.id), { email: row.email, name: row.name, version: row.version });
  return out;
}

/** A DuckDB file (the default). */
export class DuckDBFileBackend implements WarehouseBackend {
  readonly name = "duckdb";
  readonly diffSchema = "syncline";
  path = "";

  async open(dir: string): Promise<void> {
    this.path = join(dir, "warehouse.duckdb");
  }

  source(warehouseMode: boolean) {
    // Warehouse mode writes Syncline's tables into the file: it must be opened read-write.
    return { plugin: duckdb as SourceDefinition<unknown>, config: { path: this.path, readOnly: !warehouseMode } };
  }

  async sql(statements: string): Promise<void> {
    const instance = await DuckDBInstance.create(this.path);
    const connection = await instance.connect();
    try {
      await connection.run(statements);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  async model(): Promise<ModelRows> {
    return modelRows(await this.rows("SELECT id, email, name, version FROM people"));
  }

  async rows(sql: string): Promise<Array<Record<string, unknown>>> {
    const instance = await DuckDBInstance.create(this.path, { access_mode: "READ_ONLY" });
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJS();
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  async close(): Promise<void> {}
}
