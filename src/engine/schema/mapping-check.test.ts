import { describe, expect, it } from "vitest";
import { syncSpec } from "../../../test/support/sync-spec.ts";
import type { DiscoveredObject } from "../../sdk/destination.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { checkMapping, findObject } from "./mapping-check.ts";

const CONTACT: DiscoveredObject = {
  name: "Contact",
  fields: [
    { name: "LastName", type: "string", required: true },
    { name: "Email", type: "string", nativeType: "email" },
    { name: "NumberOfEmployees", type: "integer", nativeType: "int" },
    { name: "Birthdate", type: "date" },
    { name: "HasOptedOutOfEmail", type: "boolean" },
    { name: "Notes", type: "json" },
  ],
};

const spec = (mapping: Array<[string, string]>, mode: SyncSpec["mode"] = "upsert"): SyncSpec =>
  syncSpec({
    name: "people",
    model: { kind: "sql", sql: "select 1" },
    primaryKey: ["id"],
    object: "Contact",
    mode,
    mapping,
  });

const columns = [
  { name: "last_name", type: "VARCHAR" },
  { name: "email", type: "VARCHAR" },
  { name: "employees", type: "VARCHAR" },
  { name: "born", type: "TIMESTAMP" },
  { name: "opted_out", type: "DATE" },
  { name: "size", type: "DOUBLE" },
];

describe("checkMapping", () => {
  it("passes a mapping whose fields exist and whose columns fit", () => {
    const report = checkMapping(
      spec([
        ["Email", "email"],
        ["LastName", "last_name"],
      ]),
      "sf",
      CONTACT,
      columns,
    );
    expect(report).toEqual({ problems: [], notes: [] });
  });

  it("names an unknown field and the one meant", () => {
    const report = checkMapping(
      spec([
        ["LastName", "last_name"],
        ["Emial", "email"],
      ]),
      "sf",
      CONTACT,
      columns,
    );
    expect(report.problems).toEqual([
      'syncs.people.mapping.Emial: "Emial" is not a writable field of Contact in sf — did you mean "Email"? (fix the field name, or create the field in sf)',
    ]);
  });

  it("takes unlisted names on an object with extra fields, noting a likely typo", () => {
    const open = { ...CONTACT, extraFields: true };
    const report = checkMapping(
      spec([
        ["LastName", "last_name"],
        ["Emial", "email"],
        ["loyalty_tier", "email"],
      ]),
      "braze",
      open,
      columns,
    );
    expect(report.problems).toEqual([]);
    expect(report.notes).toEqual([
      'syncs.people.mapping.Emial: "Emial" is not one of Contact\'s standard fields — did you mean "Email"? (braze takes it as a custom field)',
    ]);
  });

  it("matches field names ignoring case", () => {
    expect(checkMapping(spec([["lastname", "last_name"]]), "sf", CONTACT, columns).problems).toEqual([]);
  });

  it("fails a column that cannot reach its field's type and notes one that is converted", () => {
    const report = checkMapping(
      spec([
        ["LastName", "last_name"],
        ["HasOptedOutOfEmail", "opted_out"],
        ["NumberOfEmployees", "employees"],
        ["Birthdate", "born"],
        ["Notes", "size"],
      ]),
      "sf",
      CONTACT,
      columns,
    );
    expect(report.problems).toEqual([
      'syncs.people.mapping.HasOptedOutOfEmail: column "opted_out" (DATE) cannot be sent to "HasOptedOutOfEmail", which takes boolean (map a column of that type, or cast it in the model)',
    ]);
    expect(report.notes).toEqual([
      'syncs.people.mapping.NumberOfEmployees: column "employees" (VARCHAR) is converted to integer (int); a record whose value does not convert is rejected before sending',
      'syncs.people.mapping.Birthdate: column "born" (TIMESTAMP) is converted to date; a record whose value does not convert is rejected before sending',
    ]);
  });

  it("requires the destination's required fields for inserts and upserts, not updates", () => {
    const problem =
      'syncs.people.mapping: Contact in sf requires "LastName", which is not mapped (map a column to it: an upsert creates records)';
    expect(checkMapping(spec([["Email", "email"]]), "sf", CONTACT, columns).problems).toEqual([problem]);
    expect(checkMapping(spec([["Email", "email"]], "mirror"), "sf", CONTACT, columns).problems).toHaveLength(1);
    expect(checkMapping(spec([["Email", "email"]], "update"), "sf", CONTACT, columns).problems).toEqual([]);
  });

  it("does not check a field whose type is outside the vocabulary", () => {
    const odd = { ...CONTACT, fields: [...CONTACT.fields, { name: "Score", type: "double" as never }] };
    expect(
      checkMapping(
        spec([
          ["LastName", "last_name"],
          ["Score", "born"],
        ]),
        "sf",
        odd,
        columns,
      ).problems,
    ).toEqual([]);
  });

  it("skips the type checks without the model's columns", () => {
    const report = checkMapping(spec([["LastName", "born"]]), "sf", CONTACT, undefined);
    expect(report).toEqual({ problems: [], notes: [] });
  });
});

describe("findObject", () => {
  it("finds an object by name or alias, exactly, then ignoring case", () => {
    const objects: DiscoveredObject[] = [
      { name: "contacts", aliases: ["0-1"], fields: [] },
      { name: "2-12345", aliases: ["widgets", "p_widgets"], fields: [] },
    ];
    expect(findObject(objects, "0-1")?.name).toBe("contacts");
    expect(findObject(objects, "p_widgets")?.name).toBe("2-12345");
    expect(findObject(objects, "Contacts")?.name).toBe("contacts");
    expect(findObject(objects, "deals")).toBeUndefined();
  });
});
