import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { tableSyncOptions } from "./options.ts";
import { createTableSql, quotedTable } from "./table.ts";

const brackets = (name: string) => `[${name}]`;
const spelling = {
  quoteIdent: brackets,
  columnTypes: {
    string: "S",
    number: "N",
    integer: "I",
    boolean: "B",
    date: "D",
    datetime: "T",
    json: "J",
  },
};

describe("table spelling", () => {
  it("quotes a table and its schema separately, splitting at the first dot only", () => {
    expect(quotedTable("people", brackets)).toBe("[people]");
    expect(quotedTable("crm.people.v2", brackets)).toBe("[crm].[people.v2]");
  });

  it("creates a table with the dialect's types and the key as primary key", () => {
    const options = v.parse(tableSyncOptions, {
      key: ["region", "id"],
      createTable: { columns: { region: "string", id: "integer", seen: "datetime", extra: "json" } },
    });
    expect(createTableSql(spelling, "crm.people", options)).toBe(
      "CREATE TABLE IF NOT EXISTS [crm].[people] ([region] S, [id] I, [seen] T, [extra] J, PRIMARY KEY ([region], [id]))",
    );
  });
});
