import { describe, expect, it } from "vitest";
import { columnKind, compatibility } from "./column-kind.ts";

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

describe("compatibility", () => {
  it("says which column kinds reach which field types", () => {
    expect(compatibility("integer", "number")).toBe("same");
    expect(compatibility("date", "json")).toBe("same");
    expect(compatibility("string", "integer")).toBe("converted");
    expect(compatibility("number", "integer")).toBe("converted");
    expect(compatibility("integer", "boolean")).toBe("converted");
    expect(compatibility("date", "datetime")).toBe("converted");
    expect(compatibility("datetime", "date")).toBe("converted");
    expect(compatibility("boolean", "string")).toBe("converted");
    expect(compatibility("date", "number")).toBe("incompatible");
    expect(compatibility("boolean", "date")).toBe("incompatible");
    expect(compatibility("number", "datetime")).toBe("incompatible");
  });
});
