import { describe, expect, it } from "vitest";
import { fromText } from "./text-values.ts";

describe("fromText", () => {
  it("reads integers exactly, beyond 2^53 as digits", () => {
    expect(fromText.integer("42")).toBe(42);
    expect(fromText.integer("-9223372036854775808")).toBe("-9223372036854775808");
  });

  it("reads a numeric's scale from its text: no fraction is an integer", () => {
    expect(fromText.numeric("42")).toBe(42);
    expect(fromText.numeric("2.00")).toBe("2");
    expect(fromText.numeric("1.50")).toBe("1.5");
    expect(fromText.numeric("NaN")).toBe("NaN");
    expect(fromText.decimal("42")).toBe("42");
  });

  it("reads floats, infinities in every spelling the warehouses use", () => {
    expect(fromText.float("0.1")).toBe(0.1);
    expect(fromText.float("-0")).toBe(0);
    for (const text of ["inf", "Infinity", "INF"]) expect(fromText.float(text)).toBe("Infinity");
    for (const text of ["-inf", "-Infinity"]) expect(fromText.float(text)).toBe("-Infinity");
    expect(fromText.float("NaN")).toBe("NaN");
  });

  it("reads booleans (Postgres's t, BigQuery's true), JSON and timestamps", () => {
    expect([fromText.boolean("t"), fromText.boolean("true"), fromText.boolean("f")]).toEqual([true, true, false]);
    expect(fromText.json('{"b":1,"a":[2]}')).toEqual({ a: [2], b: 1 });
    expect(fromText.timestamp("2024-01-02T03:04:05.000100")).toBe("2024-01-02T03:04:05.0001Z");
  });
});
