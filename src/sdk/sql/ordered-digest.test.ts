import { createHash } from "node:crypto";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { duckdbDialect, postgresDialect } from "./dialects.ts";
import { orderedDigestSql } from "./ordered-digest.ts";

const MODEL = { kind: "sql" as const, sql: "SELECT * FROM t" };
const TYPES = new Map([
  ["id", "INTEGER"],
  ["email", "VARCHAR"],
  ["n", "DECIMAL(10,2)"],
  ["tags", "VARCHAR[]"],
]);

describe("the ordered digest query", () => {
  it("is DuckDB's keys and md5 of the canonical JSON, ordered by the key's text", async () => {
    const request = {
      primaryKey: ["id"],
      fields: [
        ["Email", "email"],
        ["N", "n"],
      ] as const,
      columns: ["id", "email"],
    };
    const queries = orderedDigestSql(duckdbDialect, MODEL, request, TYPES)!;
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      await connection.run(`CREATE TABLE t AS SELECT * FROM (VALUES (10, 'a"b', 1.50), (9, NULL, 2.00), (100, 'ü', -0.05))
        v(id, email, n); ALTER TABLE t ALTER n TYPE DECIMAL(10,2)`);
      const rows = (await connection.runAndReadAll(queries.digests)).getRowsJS();
      // md5_number's hex: the digest's bytes reversed, upper case (plugins/duckdb/digest-file.ts).
      const md5 = (json: object) =>
        Buffer.from(createHash("md5").update(JSON.stringify(json)).digest().reverse())
          .toString("hex")
          .toUpperCase();
      expect(rows).toEqual([
        [md5({ Email: 'a"b', N: "1.5" }), "10"],
        [md5({ Email: "ü", N: "-0.05" }), "100"],
        [md5({ Email: null, N: "2" }), "9"],
      ]);
      await connection.run("CREATE TABLE keys AS SELECT '100' AS k");
      expect((await connection.runAndReadAll(queries.rows("keys"))).getRowsJS()).toEqual([[100, "ü"]]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("is undefined when a column's type has no canonical JSON in the dialect", () => {
    const request = { primaryKey: ["id"], fields: [["Tags", "tags"]] as const, columns: ["id", "tags"] };
    expect(orderedDigestSql(duckdbDialect, MODEL, request, TYPES)).toBeUndefined();
    const plain = { primaryKey: ["id"], fields: [["Email", "email"]] as const, columns: ["id"] };
    expect(orderedDigestSql(postgresDialect, MODEL, plain, new Map([["id", "integer"]]))).toBeUndefined();
  });
});
