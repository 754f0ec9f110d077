import { describe, expect, it } from "vitest";
import { isCanonicalFieldsJson } from "./canonical-json-check.ts";
import { canonicalJsonText } from "./values.ts";

/** What the engine writes for a JSON column's text. */
const canonical = (text: string) => JSON.stringify(canonicalJsonText(text));
const fields = (value: string) => `{"b":1,"a":${value}}`;

/** A small random JSON value (seeded), with the awkward parts: escapes, numbers, nesting. */
function randomValue(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * (depth > 2 ? 5 : 7));
  const strings = ["", "a", 'q"uote', "back\\slash", "tab\t", "\u0001ctl", "é 😀", "\u2028", "Z", "__proto__"];
  const numbers = [0, -0, 1, -17, 1.5, 0.1, 1e-7, 1e21, 2 ** 53, 2 ** 53 + 2, 123456.789, -2.5e-10];
  if (pick === 0) return null;
  if (pick === 1) return next() < 0.5;
  if (pick === 2) return numbers[Math.floor(next() * numbers.length)];
  if (pick === 3 || pick === 4) return strings[Math.floor(next() * strings.length)];
  if (pick === 5) return Array.from({ length: Math.floor(next() * 3) }, () => randomValue(next, depth + 1));
  const entries = Array.from({ length: Math.floor(next() * 4) }, () => [
    strings[Math.floor(next() * strings.length)],
    randomValue(next, depth + 1),
  ]);
  return Object.fromEntries(entries);
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Ways a warehouse may write the same value: as given, with spaces, keys reversed, escapes. */
function variants(value: unknown): string[] {
  const plain = JSON.stringify(value);
  const reversed = JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
  );
  return [
    plain,
    reversed,
    JSON.stringify(value, null, 1),
    plain.replaceAll("\\u0001", "\\u0001".toUpperCase()),
    plain.replaceAll("/", "\\/"),
    plain.replaceAll("é", "\\u00e9"),
    canonical(plain),
  ];
}

describe("isCanonicalFieldsJson", () => {
  it("never says canonical of a text the engine would write otherwise", () => {
    const next = seeded(7);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      for (const text of variants(randomValue(next))) {
        if (!isCanonicalFieldsJson(fields(text))) continue;
        accepted++;
        expect(canonical(text)).toBe(text);
      }
    }
    // It accepts most canonical texts: the check is useful, not just safe.
    expect(accepted).toBeGreaterThan(3000);
  });

  it("accepts the canonical form of plain values and objects", () => {
    for (const text of [
      '{"a":1,"b":[1,2,{"c":null}]}',
      '"text"',
      "1.5",
      "-17",
      "0",
      "123456789012345",
      "true",
      "[]",
      "{}",
      '"tab\\t\\u001f"',
    ])
      expect([text, isCanonicalFieldsJson(fields(text))]).toEqual([text, true]);
  });

  it("refuses what the engine writes otherwise", () => {
    for (const text of [
      '{"b":1,"a":2}',
      '{"a": 1}',
      '{"a":1,"a":2}',
      "1.50",
      "1e2",
      "-0",
      "9007199254740993",
      '"\\u001F"',
      '"\\/"',
      '"\\u00e9"',
      '"\\ud800"',
      '{"__proto__":1}',
      "[1, 2]",
      "01",
      "-",
      "1.",
      "+1",
      "1234567890123456789",
    ])
      expect([text, isCanonicalFieldsJson(fields(text))]).toEqual([text, false]);
  });

  it("takes the fields' own keys in any order, and nothing after the object", () => {
    expect(isCanonicalFieldsJson('{"z":1,"a":"x"}')).toBe(true);
    expect(isCanonicalFieldsJson('{"z":1} ')).toBe(false);
    expect(isCanonicalFieldsJson('{"z":1')).toBe(false);
    expect(isCanonicalFieldsJson("\u0000")).toBe(false);
  });

  it("with the checked fields marked, skips the others whatever they hold", () => {
    const a = JSON.stringify('q"uote \\ back, {brace}');
    expect(isCanonicalFieldsJson(`{"a":${a},"b":{"a":1}}`, [false, true])).toBe(true);
    expect(isCanonicalFieldsJson(`{"a":${a},"b":{"b":1,"a":2}}`, [false, true])).toBe(false);
    expect(isCanonicalFieldsJson('{"a":{"b":1,"a":2},"b":{"a":1}}', [false, true])).toBe(false);
    expect(isCanonicalFieldsJson('{"a":1.50,"b":{"a":1},"c":null}', [false, true, false])).toBe(true);
    expect(isCanonicalFieldsJson('{"a":"open,"b":1}', [false, false])).toBe(false);
    const next = seeded(11);
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(next);
      for (const text of variants(value)) {
        const row = `{"s":${JSON.stringify(String(value))},"j":${text},"n":-0.5}`;
        if (isCanonicalFieldsJson(row, [false, true, false])) expect(canonical(text)).toBe(text);
      }
    }
  });
});
