import { describe, expect, it } from "vitest";
import { discoverProblems } from "./discover-checks.ts";

describe("discoverProblems", () => {
  it("passes a well-formed answer that describes the object, by name or alias", () => {
    const answer = [
      { name: "2-1", aliases: ["widgets"], fields: [{ name: "size", type: "number", required: true }] },
      { name: "contacts", fields: [{ name: "stage", type: "string", enum: ["a"], maxLength: 10 }, { name: "x" }] },
    ];
    expect(discoverProblems(answer, "Widgets")).toEqual([]);
    expect(discoverProblems(answer, "contacts")).toEqual([]);
  });

  it("names what is wrong", () => {
    const answer = [
      {
        name: "contacts",
        fields: [
          { name: "n", type: "double" },
          { name: "", required: "yes" },
          { name: "m", maxLength: 0 },
        ],
      },
    ];
    expect(discoverProblems(answer, "deals")).toEqual([
      'discover({ objects: ["deals"] }) did not describe "deals"',
      'contacts.n: type "double" is not a FieldType (put your own name in nativeType)',
      "contacts: a field without a name",
      "contacts.: required is not a boolean",
      "contacts.m: maxLength is not a positive integer",
    ]);
    expect(discoverProblems({}, "x")).toEqual(["discover did not return an array of objects"]);
  });
});
