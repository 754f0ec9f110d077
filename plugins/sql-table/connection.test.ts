import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminQuery, postgresReachable, TEST_POSTGRES_URL } from "../postgres/test-server.ts";
import { savepoint, withConnection } from "./connection.ts";

const TABLE = "syncline_sql_table_savepoint";
const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL, max: 1 });

describe("connections of the table destinations, on the local Postgres", () => {
  beforeAll(async () => {
    if (!(await postgresReachable())) throw new Error(`these tests need Postgres at ${TEST_POSTGRES_URL}`);
    await adminQuery(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (id int PRIMARY KEY)`);
  });
  afterAll(async () => {
    await pool.end();
    await adminQuery(`DROP TABLE IF EXISTS ${TABLE}`);
  });

  it("gives the connection back after work, failed or not, and classifies the failure", async () => {
    expect(
      await withConnection(
        () => pool.connect(),
        async (c) => (await c.query("SELECT 1 AS n")).rows[0].n,
        (error) => error as Error,
      ),
    ).toBe(1);
    const failed = withConnection(
      () => pool.connect(),
      (c) => c.query("SELECT * FROM no_such_table_x"),
      (error) => new Error(`classified: ${(error as { code?: string }).code}`),
    );
    await expect(failed).rejects.toThrow("classified: 42P01");
    // The pool holds one connection: it was released, or this would wait forever.
    expect(pool.idleCount).toBe(1);
  });

  it("undoes a failed part under a savepoint and keeps the transaction going", async () => {
    await withConnection(
      () => pool.connect(),
      async (c) => {
        await c.query("BEGIN");
        await savepoint(c, async () => void (await c.query(`INSERT INTO ${TABLE} VALUES (1)`)));
        const duplicate = savepoint(c, async () => {
          await c.query(`INSERT INTO ${TABLE} VALUES (2)`);
          await c.query(`INSERT INTO ${TABLE} VALUES (1)`);
        });
        await expect(duplicate).rejects.toMatchObject({ code: "23505" });
        await c.query("COMMIT");
      },
      (error) => error as Error,
    );
    expect((await adminQuery(`SELECT id FROM ${TABLE} ORDER BY id`)).rows).toEqual([{ id: 1 }]);
  });
});
