import { describe, expect, it } from "vitest";
import { BaseDialect } from "./base.ts";
import { dialectFor, postgresDialect, snowflakeDialect } from "./dialects.ts";

/** A third party's dialect: ANSI defaults plus the one method that has none. */
class Ansi extends BaseDialect {
  readonly name = "ansi";
  jsonText(expr: string): string {
    return `JSON_QUOTE(${expr})`;
  }
}

describe("BaseDialect", () => {
  const d = new Ansi();

  it("quotes identifiers and names relations: a query in parentheses, a table's given parts", () => {
    expect(d.quoteIdent('a"b')).toBe('"a""b"');
    expect(d.relation({ kind: "sql", sql: "  SELECT 1;  " })).toBe("(SELECT 1)");
    expect(d.relation({ kind: "table", relation: { database: "db", schema: "", name: "t" } })).toBe('"db"."t"');
    expect(d.select({ kind: "table", relation: { schema: "s", name: "t" } }, ["id", "e"])).toBe(
      'SELECT "id", "e" FROM "s"."t" AS m',
    );
    expect(d.table({ schema: "s", name: "t" })).toBe('"s"."t"');
  });

  it("writes literals and parameters", () => {
    expect(d.literal("it's")).toBe("'it''s'");
    expect(d.literal(null)).toBe("NULL");
    expect(d.param(2)).toBe("?");
    expect(postgresDialect.param(2)).toBe("$2");
  });

  it("hashes a row over its values' texts, JSON-quoted unless the type is safe", () => {
    expect(d.rowHash([{ expr: "a", type: undefined }])).toBe(
      "MD5(CONCAT_WS(CHR(31), COALESCE(JSON_QUOTE(CAST(a AS VARCHAR)), '')))",
    );
  });

  it("has no canonical JSON, so no ordered read, until a dialect brings one", () => {
    expect(d.canonicalJson("a", "INTEGER")).toBeUndefined();
    expect(d.canonicalKey("a", "INTEGER")).toBeUndefined();
  });

  it("stores names as given, except where the warehouse folds unquoted ones (Snowflake)", () => {
    expect(d.storedName("sync_runs")).toBe("sync_runs");
    expect(snowflakeDialect.storedName("sync_runs")).toBe("SYNC_RUNS");
  });

  it("resolves a built-in dialect by name and passes a source's own through", () => {
    expect(dialectFor("postgres")).toBe(postgresDialect);
    expect(dialectFor(d)).toBe(d);
  });
});
