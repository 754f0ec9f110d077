import { describe, expect, it } from "vitest";
import { parseArrayLiteral } from "./array.ts";
import { parserFor, typeName } from "./types.ts";

describe("postgres text → canonical values", () => {
  it("parses timestamps exactly, with any offset (syncline/sdk's timestamp text)", () => {
    expect(parserFor(1184)("infinity")).toBe("infinity");
    expect(parserFor(1184)("2024-01-02 05:04:05.5+02")).toBe("2024-01-02T03:04:05.5Z");
  });

  it("keeps years before 100 as written", () => {
    expect(parserFor(1114)("0099-01-01 00:00:00")).toBe("0099-01-01T00:00:00Z");
  });

  it("parses array literals, nested and quoted", () => {
    expect(parseArrayLiteral("{1,2,NULL}")).toEqual(["1", "2", null]);
    expect(parseArrayLiteral('{"a b","c\\"d","NULL",""}')).toEqual(["a b", 'c"d', "NULL", ""]);
    expect(parseArrayLiteral("{{1,2},{3,4}}")).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(parseArrayLiteral("[0:1]={7,8}")).toEqual(["7", "8"]);
    expect(parseArrayLiteral("{}")).toEqual([]);
  });

  it("converts arrays element by element", () => {
    expect(parserFor(1016)("{9007199254740993,1}")).toEqual(["9007199254740993", 1]);
    expect(parserFor(1231)("{1.50,NULL}")).toEqual(["1.5", null]);
    expect(parserFor(3807)('{"{\\"b\\":1,\\"a\\":2}"}')).toEqual([{ a: 2, b: 1 }]);
    expect(parserFor(1185)('{"2024-01-02 03:04:05+00"}')).toEqual(["2024-01-02T03:04:05Z"]);
  });

  it("converts scalars by type", () => {
    expect(parserFor(16)("t")).toBe(true);
    expect(parserFor(16)("f")).toBe(false);
    expect(parserFor(701)("-Infinity")).toBe("-Infinity");
    expect(parserFor(701)("-0")).toBe(0);
    expect(parserFor(1700)("NaN")).toBe("NaN");
    expect(parserFor(1700)("-0.000")).toBe("0");
    expect(parserFor(1700)("2.00")).toBe("2");
    expect(parserFor(1700)("42")).toBe(42);
    expect(parserFor(1700)("-12345678901234567890")).toBe("-12345678901234567890");
    expect(parserFor(17)("\\x")).toBe("");
    expect(parserFor(2950)("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")).toBe("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    expect(typeName(1007)).toBe("integer[]");
    expect(typeName(99999)).toBe("oid 99999");
  });
});
