import * as v from "valibot";
import postgres from "../../plugins/postgres/index.ts";
import { adminQuery, TEST_POSTGRES_URL } from "../../plugins/postgres/test-server.ts";
import type { SourceDefinition } from "../../src/sdk/source.ts";
import { type ModelRows, modelRows, uniqueName, type WarehouseBackend } from "./backends.ts";

/**
 * The real Postgres (SYNCLINE_TEST_POSTGRES_URL): each harness gets its own schema, set as
 * the source's search_path, and a `range(from, to)` function so that the suite's DuckDB-style
 * `FROM range(a, b) t(i)` runs unchanged.
 */
export class PostgresBackend implements WarehouseBackend {
  readonly name = "postgres";
  readonly schema = uniqueName("t");
  readonly diffSchema = `${this.schema}_syncline`;

  async open(): Promise<void> {
    await adminQuery(`CREATE SCHEMA ${this.schema};
      CREATE FUNCTION ${this.schema}.range(bigint, bigint) RETURNS SETOF bigint
        LANGUAGE sql IMMUTABLE AS 'SELECT generate_series($1, $2 - 1)'`);
  }

  source() {
    const url = new URL(TEST_POSTGRES_URL);
    url.searchParams.set("options", `-c search_path=${this.schema}`);
    const config = v.parse(postgres.config, { url: url.toString(), maxConnections: 2 });
    return { plugin: postgres as SourceDefinition<unknown>, config };
  }

  async sql(statements: string): Promise<void> {
    await adminQuery(`SET search_path TO ${this.schema}; ${statements}`);
  }

  async model(): Promise<ModelRows> {
    const result = await adminQuery(`SELECT id, email, name, version FROM ${this.schema}.people`);
    return modelRows(result.rows);
  }

  async rows(sql: string): Promise<Array<Record<string, unknown>>> {
    return (await adminQuery(sql)).rows;
  }

  async close(): Promise<void> {
    await adminQuery(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE; DROP SCHEMA IF EXISTS ${this.diffSchema} CASCADE`);
  }
}
