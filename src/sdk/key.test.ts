import { describe, expect, it } from "vitest";
import { keyIsJson, keyOf, keyValuesOf } from "./key.ts";
import type { CanonicalRow } from "./values.ts";

describe("keyOf and keyValuesOf", () => {
  it.each<[string, CanonicalRow, string[], string]>([
    ["a numeric key", { id: 42 }, ["id"], "42"],
    ["a text key that looks like a number", { id: "42" }, ["id"], "42"],
    ["a text key", { id: "a-b" }, ["id"], "a-b"],
    ["a text key that looks like JSON", { id: "[1]" }, ["id"], "[1]"],
    ["a float key", { id: 1.5 }, ["id"], "1.5"],
    ["a boolean key", { id: true }, ["id"], "true"],
    ["an object key", { id: { a: 1 } }, ["id"], '{"a":1}'],
    ["a composite key", { id: 42, email: "a@x" }, ["id", "email"], '[42,"a@x"]'],
    ["a composite key of text digits", { id: "42", n: 7 }, ["id", "n"], '["42",7]'],
  ])("%s: encoded once, decoded to the same values and types", (_name, row, columns, key) => {
    expect(keyOf(row, columns)).toBe(key);
    expect(keyValuesOf(key, columns, keyIsJson(row, columns))).toEqual(row);
  });

  it("tells a numeric key from a text one only by keyIsJson", () => {
    expect(keyIsJson({ id: 42 }, ["id"])).toBe(true);
    expect(keyIsJson({ id: "42" }, ["id"])).toBe(false);
    expect(keyIsJson({ id: "42", n: 1 }, ["id", "n"])).toBe(true);
  });

  it("reads a single-column key as text when its form is unknown", () => {
    expect(keyValuesOf("42", ["id"])).toEqual({ id: "42" });
    expect(keyValuesOf('[42,"a"]', ["id", "email"])).toEqual({ id: 42, email: "a" });
  });

  it("has no key for a null or empty part", () => {
    expect(keyOf({ id: null }, ["id"])).toBeUndefined();
    expect(keyOf({ id: "" }, ["id"])).toBeUndefined();
    expect(keyOf({ id: 1, email: "" }, ["id", "email"])).toBeUndefined();
  });
});
