import { describe, expect, it } from "vitest";
import { changedFields, DIRTY, failedHashes, fieldHashes, hash48, headerOf } from "./field-hashes.ts";

const names = ["email", "name", "version"];
const header = headerOf(names);
const row = (name: unknown, version: unknown) =>
  fieldHashes(header, names, { email: "a@x", name: name as never, version: version as never });

describe("field hashes", () => {
  it("are 8 characters per field after an 8-character header, and differ for different values", () => {
    expect(row("A", 1)).toHaveLength(8 * 4);
    const one = (value: unknown) => fieldHashes("", ["f"], { f: value as never });
    expect(one("1")).not.toBe(one(1));
    expect(one(null)).not.toBe(one(""));
    expect(one(null)).not.toBe(one("null"));
    expect(one(true)).not.toBe(one("true"));
    expect(one(["a"])).not.toBe(one('["a"]'));
    expect(one({ a: 1 })).toBe(one({ a: 1 }));
    expect(new Set(Array.from({ length: 10_000 }, (_, i) => hash48(String(i)))).size).toBe(10_000);
  });

  it("name the fields whose value changed, in mapping order", () => {
    expect(changedFields(row("A", 1), row("B", 1), names)).toEqual(["name"]);
    expect(changedFields(row("A", 1), row(null, 2), names)).toEqual(["name", "version"]);
    expect(changedFields(row("A", 1), row("A", 1), names)).toEqual([]);
  });

  it("say nothing (every field) without usable earlier hashes: none, or another mapping", () => {
    expect(changedFields(null, row("A", 1), names)).toBeUndefined();
    const other = fieldHashes(headerOf(["email", "name", "vers"]), ["email", "name", "vers"], {});
    expect(changedFields(other, row("A", 1), names)).toBeUndefined();
  });

  it("mark sent fields that differ as dirty on failure, so they are sent until confirmed", () => {
    const before = row("A", 1);
    const attempt = row("B", 2);
    const failed = failedHashes(before, attempt, names, new Set(["email", "name"]))!;
    expect(failed.slice(16, 24)).toBe(DIRTY);
    // version was not sent (skipped): it keeps the delivered hash and still shows as changed.
    expect(changedFields(failed, attempt, names)).toEqual(["name", "version"]);
    // The model reverts: the dirty field is still sent; failing again keeps it dirty.
    expect(changedFields(failed, before, names)).toEqual(["name"]);
    expect(failedHashes(failed, before, names, new Set(["name"]))!.slice(16, 24)).toBe(DIRTY);
    expect(failedHashes(null, attempt, names, new Set(names))).toBeNull();
  });
});
