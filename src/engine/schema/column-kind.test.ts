import { describe, expect, it } from "vitest";
import { columnKind, fit } from "./column-kind.ts";

describe("columnKind", () => {
  it.each([
    ["VARCHAR", "string"],
    ["text", "string"],
    ["uuid", "string"],
    ["INTEGER", "integer"],
    ["BIGINT", "integer"],
    ["int8", "integer"],
    ["INT64", "integer"],
    ["NUMBER(38,0)", "integer"],
    ["DECIMAL(18,2)", "number"],
    ["numeric", "number"],
    ["DOUBLE", "number"],
    ["FLOAT64", "number"],
    ["BOOLEAN", "boolean"],
    ["bool", "boolean"],
    ["DATE", "date"],
    ["TIMESTAMP WITH TIME ZONE", "datetime"],
    ["timestamptz", "datetime"],
    ["DATETIME", "datetime"],
    ["jsonb", "json"],
    ["STRUCT(a INTEGER)", "json"],
    ["INTEGER[]", "json"],
    ["INTERVAL", undefined],
    ["BLOB", undefined],
  ])("%s is %s", (type, kind) => {
    expect(columnKind(type)).toBe(kind);
  });
});

describe("fit", () => {
  it("says which column kinds reach which field types", () => {
    expect(fit("integer", "number")).toBe("same");
    expect(fit("date", "json")).toBe("same");
    expect(fit("string", "integer")).toBe("converted");
    expect(fit("number", "integer")).toBe("converted");
    expect(fit("integer", "boolean")).toBe("converted");
    expect(fit("date", "datetime")).toBe("converted");
    expect(fit("datetime", "date")).toBe("converted");
    expect(fit("boolean", "string")).toBe("converted");
    expect(fit("date", "number")).toBe("incompatible");
    expect(fit("boolean", "date")).toBe("incompatible");
    expect(fit("number", "datetime")).toBe("incompatible");
  });
});
