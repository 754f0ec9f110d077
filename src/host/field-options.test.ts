import { describe, expect, it } from "vitest";
import { resolveSync } from "../config/resolve-sync.ts";
import { defineDestination } from "../sdk/destination.ts";
import { resolveFieldOptions } from "./field-options.ts";

const sync = resolveSync(
  "s",
  {
    source: "wh",
    model: { table: "people" },
    primaryKey: "id",
    destination: "crm",
    object: "contacts",
    mapping: { user_id: "id", email: "email", name: "name" },
  },
  undefined,
);
const destination = (partialUpdate: boolean) => {
  const plugin = defineDestination({
    name: "crm",
    config: {} as never,
    capabilities: { operations: ["upsert"], maxRecords: 10, partialUpdate },
    check: async () => {},
    write: async () => [],
    identifyingFields: (_object, options) => [String(options.idProperty ?? "email")],
  });
  return {
    name: "crm",
    type: "crm",
    plugin,
    capabilities: { operations: ["upsert" as const], maxRecords: 10, partialUpdate },
  };
};

describe("resolveFieldOptions", () => {
  it("defaults: every field, nulls sent", () => {
    const problems: string[] = [];
    expect(resolveFieldOptions(sync, "s", destination(true), {}, problems)).toEqual({ nulls: "send" });
    expect(problems).toEqual([]);
  });

  it("always sends the fields mapped from the key and those the destination finds records by", () => {
    const problems: string[] = [];
    const resolved = resolveFieldOptions(
      { ...sync, sendChangedFieldsOnly: true, nulls: "skip" },
      "s",
      destination(true),
      { idProperty: "name" },
      problems,
    );
    expect(resolved).toEqual({ nulls: "skip", changedFieldsOnly: { alwaysSend: ["user_id", "name"] } });
    expect(problems).toEqual([]);
  });

  it("refuses a destination whose updates replace whole records, and warehouse diff mode", () => {
    const problems: string[] = [];
    resolveFieldOptions({ ...sync, sendChangedFieldsOnly: true }, "s", destination(false), {}, problems);
    resolveFieldOptions(
      { ...sync, sendChangedFieldsOnly: true, diff: { mode: "warehouse" } },
      "t",
      destination(true),
      {},
      problems,
    );
    expect(problems).toEqual([
      expect.stringMatching(/^syncs\.s\.sendChangedFieldsOnly: destination "crm" \(crm\) replaces whole records/),
      expect.stringMatching(/^syncs\.t\.sendChangedFieldsOnly: not available with diff: warehouse/),
    ]);
  });
});
