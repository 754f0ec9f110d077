import { describe, expect, it } from "vitest";
import { ApiError } from "./errors.ts";
import { decodeCursor, encodeCursor, jsonBody } from "./validate.ts";

describe("cursors", () => {
  it("round-trip any position, including composite keys", () => {
    for (const position of ["run_mx1abc", '["a,b",2]', "ünïcode key"]) {
      expect(decodeCursor(encodeCursor(position))).toBe(position);
    }
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it("refuse what the API did not issue", () => {
    expect(() => decodeCursor("not a cursor")).toThrow(ApiError);
    expect(() => decodeCursor("YQ")).not.toThrow();
    expect(() => decodeCursor("YR")).toThrow(/query.cursor/);
  });
});

describe("jsonBody", () => {
  it("treats an empty body as no options and refuses non-JSON", () => {
    expect(jsonBody("")).toEqual({});
    expect(jsonBody("  \n")).toEqual({});
    expect(jsonBody('{"wait":true}')).toEqual({ wait: true });
    expect(() => jsonBody("wait=true")).toThrow(/not valid JSON/);
  });
});
