import { describe, expect, it } from "vitest";
import {
  canonicalDate,
  canonicalDecimal,
  canonicalFloat,
  canonicalInteger,
  canonicalize,
  canonicalJsonText,
  canonicalTimestamp,
} from "./values.ts";

describe("canonical values", () => {
  it("integers: the same number whatever the width, digits beyond 2^53", () => {
    expect(canonicalInteger(5n)).toBe(5);
    expect(canonicalInteger(5)).toBe(5);
    expect(canonicalInteger("5")).toBe(5);
    expect(canonicalInteger(2n ** 63n - 1n)).toBe("9223372036854775807");
    expect(canonicalInteger(-(2n ** 70n))).toBe("-1180591620717411303424");
  });

  it("decimals: exact, normalised strings", () => {
    expect(canonicalDecimal("1.50")).toBe("1.5");
    expect(canonicalDecimal("2.00")).toBe("2");
    expect(canonicalDecimal("-0.00")).toBe("0");
    expect(canonicalDecimal("001.10")).toBe("1.1");
    expect(canonicalDecimal({ unscaled: 150n, scale: 2 })).toBe("1.5");
    expect(canonicalDecimal({ unscaled: -5n, scale: 3 })).toBe("-0.005");
    expect(canonicalDecimal("12345678901234567890.123456789012345678")).toBe("12345678901234567890.123456789012345678");
    expect(canonicalDecimal("1.5E+3")).toBe("1500");
    expect(canonicalDecimal("15e-3")).toBe("0.015");
  });

  it("floats keep their value; non-finite become text; -0 is 0", () => {
    expect(canonicalFloat(1.25)).toBe(1.25);
    expect(Object.is(canonicalFloat(-0), 0)).toBe(true);
    expect(canonicalFloat(Number.NaN)).toBe("NaN");
    expect(canonicalFloat(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
  });

  it("timestamps: UTC ISO-8601 with microseconds, trailing zeros trimmed", () => {
    expect(canonicalTimestamp(1704164645123456n)).toBe("2024-01-02T03:04:05.123456Z");
    expect(canonicalTimestamp(1704164645000000n)).toBe("2024-01-02T03:04:05Z");
    expect(canonicalTimestamp(new Date("2024-01-02T03:04:05.500+02:00"))).toBe("2024-01-02T01:04:05.5Z");
    expect(canonicalTimestamp(-1n)).toBe("1969-12-31T23:59:59.999999Z");
  });

  it("timestamps outside the years 0000–9999 in ISO 8601's expanded years, up to DuckDB's limits", () => {
    expect(canonicalTimestamp(253402300799999999n)).toBe("9999-12-31T23:59:59.999999Z");
    expect(canonicalTimestamp(253402300800000000n)).toBe("+010000-01-01T00:00:00Z");
    expect(canonicalTimestamp(253402308184123456n)).toBe("+010000-01-01T02:03:04.123456Z");
    expect(canonicalTimestamp(-62135596800000001n)).toBe("0000-12-31T23:59:59.999999Z");
    expect(canonicalTimestamp(-62167219200000001n)).toBe("-000001-12-31T23:59:59.999999Z");
    // Past Date's range (±8.64e15 ms), as DuckDB writes the same instants (strftime, checked).
    expect(canonicalTimestamp(8640000000000000000n)).toBe("+275760-09-13T00:00:00Z");
    expect(canonicalTimestamp(8640000000000000001n)).toBe("+275760-09-13T00:00:00.000001Z");
    expect(canonicalTimestamp(8700000000000000123n)).toBe("+277662-01-09T10:40:00.000123Z");
    expect(canonicalTimestamp(9000000000000000000n)).toBe("+287168-08-24T16:00:00Z");
    expect(canonicalTimestamp(9223372036854775806n)).toBe("+294247-01-10T04:00:54.775806Z");
    expect(canonicalTimestamp(-8640000000001000000n)).toBe("-271821-04-19T23:59:59Z");
  });

  it("dates", () => {
    expect(canonicalDate(19724)).toBe("2024-01-02");
    expect(canonicalDate("2024-01-02")).toBe("2024-01-02");
  });

  it("JSON and objects: keys sorted at every depth; non-JSON text stays text", () => {
    expect(JSON.stringify(canonicalJsonText('{"b":1,"a":{"d":[1,{"z":0,"y":1}],"c":null}}'))).toBe(
      '{"a":{"c":null,"d":[1,{"y":1,"z":0}]},"b":1}',
    );
    expect(canonicalJsonText("not json")).toBe("not json");
    expect(canonicalize({ b: 2n, a: new Date(0), c: new Uint8Array([1, 2]) })).toEqual({
      a: "1970-01-01T00:00:00Z",
      b: 2,
      c: "AQI=",
    });
  });
});
