import { describe, expect, it } from "vitest";
import { bigqueryDialect, snowflakeDialect } from "./dialects.ts";
import { orderedDigestSql } from "./ordered-digest.ts";
import { keyBatches } from "./sql-ordered-read.ts";

describe("keyBatches", () => {
  it("cuts the keys at maxKeys keys or maxChars characters, across the engine's pages", () => {
    const batches = [
      ...keyBatches(
        [
          ["a", "bb"],
          ["ccc", "d"],
          ["eeeeee", "f"],
        ],
        { maxKeys: 3, maxChars: 6 },
      ),
    ];
    expect(batches).toEqual([["a", "bb", "ccc"], ["d"], ["eeeeee"], ["f"]]);
    expect([...keyBatches([[], []], { maxKeys: 3, maxChars: 6 })]).toEqual([]);
    expect([...keyBatches([["toolong"]], { maxKeys: 3, maxChars: 2 })]).toEqual([["toolong"]]);
  });
});

describe("the ordered digest query of a warehouse that keeps no subquery's order", () => {
  const request = { primaryKey: ["id"], fields: [["E", "email"]] as const, columns: ["id", "email"] };
  const model = { kind: "table" as const, relation: { name: "t" } };

  it("sorts in its outer query, by the key's bytes", () => {
    const snowflake = orderedDigestSql(
      snowflakeDialect,
      model,
      request,
      new Map([
        ["id", "NUMBER(38,0)"],
        ["email", "TEXT"],
      ]),
    );
    expect(snowflake!.digests).toMatch(/\) AS d ORDER BY COLLATE\(__syncline_k, 'utf8'\) NULLS LAST$/);
    const bigquery = orderedDigestSql(
      bigqueryDialect,
      model,
      request,
      new Map([
        ["id", "INTEGER"],
        ["email", "STRING"],
      ]),
    );
    expect(bigquery!.digests).toMatch(/\) AS d ORDER BY CAST\(__syncline_k AS BYTES\) NULLS LAST$/);
    expect(bigquery!.digests).toContain("TO_HEX(MD5(concat(");
  });

  it("has no rendering for the types it cannot reproduce", () => {
    const unsupported = [
      [bigqueryDialect, "INTEGER", ["BYTES", "TIME", "JSON", "ARRAY<STRING>", "RECORD"]],
      [snowflakeDialect, "NUMBER(38,0)", ["TIME", "BINARY", "VARIANT", "ARRAY", "OBJECT"]],
    ] as const;
    for (const [dialect, key, types] of unsupported) {
      for (const type of types) {
        const columns = new Map([
          ["id", key],
          ["email", type],
        ] as const);
        expect(orderedDigestSql(dialect, model, request, columns), type).toBeUndefined();
      }
    }
  });
});
