import { describe, expect, it } from "vitest";
import type { DiscoveredField, FieldType } from "../../sdk/field-types.ts";
import type { CanonicalValue } from "../../sdk/values.ts";
import { coerceFields, coerceValue } from "./coerce.ts";

const field = (type: FieldType, extra: Partial<DiscoveredField> = {}): DiscoveredField => ({
  name: "f",
  type,
  ...extra,
});
const ok = (value: CanonicalValue, f: DiscoveredField) => {
  const result = coerceValue(value, f);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
};
const reason = (value: CanonicalValue, f: DiscoveredField) => {
  const result = coerceValue(value, f);
  return result.ok ? undefined : result.reason;
};

describe("coerceValue", () => {
  it("converts numeric text to numbers and integers, and refuses text that is not a number", () => {
    expect(ok("42", field("number"))).toBe(42);
    expect(ok(" 1.5 ", field("number"))).toBe(1.5);
    expect(ok("-2e3", field("number"))).toBe(-2000);
    expect(ok(7, field("integer"))).toBe(7);
    expect(ok("7", field("integer"))).toBe(7);
    expect(ok("12.00", field("integer"))).toBe(12);
    expect(ok("123456789012345678901", field("integer"))).toBe("123456789012345678901");
    expect(reason("lots", field("number"))).toBe('field "f" takes a number; got the string "lots"');
    expect(reason("NaN", field("number"))).toContain("takes a number");
    expect(reason(3.5, field("integer"))).toBe('field "f" takes an integer; got the number 3.5 — not a whole number');
    expect(reason("3.5", field("integer"))).toContain("not a whole number");
    expect(reason(true, field("number"))).toBe('field "f" takes a number; got the boolean true');
  });

  it('converts "true"/"false" and 1/0 to booleans, and nothing else', () => {
    expect(ok(true, field("boolean"))).toBe(true);
    expect(ok("TRUE", field("boolean"))).toBe(true);
    expect(ok("false", field("boolean"))).toBe(false);
    expect(ok(1, field("boolean"))).toBe(true);
    expect(ok("0", field("boolean"))).toBe(false);
    expect(reason("yes", field("boolean"))).toContain('takes a boolean; got the string "yes"');
    expect(reason(2, field("boolean"))).toContain("got the number 2");
  });

  it("sends dates as YYYY-MM-DD: an instant at midnight UTC converts, one with a time of day is refused", () => {
    expect(ok("2024-02-29", field("date"))).toBe("2024-02-29");
    expect(ok("2024-03-01T00:00:00Z", field("date"))).toBe("2024-03-01");
    expect(ok("2024-03-01T02:00:00+02:00", field("date"))).toBe("2024-03-01");
    expect(reason("2024-03-01T10:30:00Z", field("date"))).toContain("it has a time of day");
    expect(reason("2023-02-29", field("date"))).toContain("not a calendar date");
    expect(reason("next tuesday", field("date"))).toContain('takes a date ("YYYY-MM-DD")');
    expect(reason(20240101, field("date"))).toContain("got the number 20240101");
  });

  it("sends date-times as UTC ISO-8601", () => {
    expect(ok("2024-01-02", field("datetime"))).toBe("2024-01-02T00:00:00Z");
    expect(ok("2024-01-02T03:04:05.123456Z", field("datetime"))).toBe("2024-01-02T03:04:05.123456Z");
    expect(ok("2024-01-02T03:04:05+01:00", field("datetime"))).toBe("2024-01-02T02:04:05Z");
    expect(ok("2024-01-02 03:04:05", field("datetime"))).toBe("2024-01-02T03:04:05Z");
    expect(reason("yesterday", field("datetime"))).toContain("takes a date-time (ISO-8601)");
  });

  it("turns numbers and booleans into text; checks options and length", () => {
    expect(ok(5, field("string"))).toBe("5");
    expect(ok(false, field("string"))).toBe("false");
    expect(ok(["a", "b"], field("string"))).toEqual(["a", "b"]);
    const stage = field("string", { nativeType: "enumeration", enum: ["lead", "customer"] });
    expect(ok("Customer", stage)).toBe("customer");
    expect(reason("vip", stage)).toBe(
      'field "f" takes text (enumeration); got the string "vip" — not one of its options ("lead", "customer")',
    );
    expect(reason("abcdef", field("string", { maxLength: 5 }))).toContain("6 characters, over its limit of 5");
    expect(ok("héllo", field("string", { maxLength: 5 }))).toBe("héllo");
  });

  it("passes null, json and untyped fields unchanged", () => {
    expect(ok(null, field("integer"))).toBeNull();
    expect(ok({ a: 1 }, field("json"))).toEqual({ a: 1 });
    expect(ok("anything", { name: "f" })).toBe("anything");
    // A plugin that put its own type name in `type` gets no checks, not a crash.
    expect(ok("anything", { name: "f", type: "double" as never })).toBe("anything");
  });
});

describe("coerceFields", () => {
  const schema = new Map<string, DiscoveredField>([
    ["age", { name: "age", type: "integer" }],
    ["vip", { name: "vip", type: "boolean" }],
  ]);
  it("coerces every known field and leaves the others", () => {
    expect(coerceFields({ age: "41", vip: "true", note: 3 }, (name) => schema.get(name))).toEqual({
      ok: true,
      fields: { age: 41, vip: true, note: 3 },
    });
  });
  it("names every field that cannot be sent", () => {
    const result = coerceFields({ age: "old", vip: "maybe" }, (name) => schema.get(name));
    expect(result).toEqual({
      ok: false,
      reason:
        'field "age" takes an integer; got the string "old"; field "vip" takes a boolean; got the string "maybe" — only true, false, "true", "false", 1 or 0 convert',
    });
  });
});
