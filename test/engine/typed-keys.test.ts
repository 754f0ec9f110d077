import { afterEach, describe, expect, it } from "vitest";
import type { CanonicalRow } from "../../src/sdk/values.ts";
import { Harness, type HarnessOptions } from "../support/harness.ts";

/**
 * A mirror delete carries the key values the record was delivered with: the removed row is gone
 * from the model, so they come from its snapshot key, with their type (a numeric key 42 is the
 * number 42, a text key "42" the string "42").
 */
let harness: Harness;
afterEach(async () => harness?.close());

async function deletedKeyValues(options: HarnessOptions, create: string, seed: string, remove: string) {
  harness = new Harness({ mode: "mirror", ...options });
  await harness.setup(create);
  await harness.sql(seed);
  const first = await harness.run();
  expect(first.status).toBe("succeeded");
  const deleted: CanonicalRow[] = [];
  harness.destination.decide = (record, operation) => {
    if (operation === "delete") deleted.push(record.keyValues);
    return "ok";
  };
  await harness.sql(remove);
  const second = await harness.run();
  expect(second.status).toBe("succeeded");
  expect(second.counts?.succeeded.removed).toBe(1);
  return deleted;
}

const PEOPLE = (id: string) => `CREATE TABLE people (id ${id}, email VARCHAR, name VARCHAR, version INTEGER)`;
const ROWS = (ids: string[]) =>
  `INSERT INTO people VALUES ${ids.map((id) => `(${id}, 'p@example.com', 'P', 1)`).join(", ")}`;

describe("a removed record's key values keep their type", () => {
  it("a numeric key reaches the destination as a number", async () => {
    const deleted = await deletedKeyValues(
      {},
      PEOPLE("INTEGER"),
      ROWS(["41", "42", "43"]),
      "DELETE FROM people WHERE id = 42",
    );
    expect(deleted).toEqual([{ id: 42 }]);
  });

  it("a text key that looks like a number stays text", async () => {
    const deleted = await deletedKeyValues(
      {},
      PEOPLE("VARCHAR"),
      ROWS(["'41'", "'42'", "'43'"]),
      "DELETE FROM people WHERE id = '42'",
    );
    expect(deleted).toEqual([{ id: "42" }]);
  });

  it("a composite key keeps each part's type", async () => {
    const deleted = await deletedKeyValues(
      { primaryKey: ["id", "email"] },
      PEOPLE("INTEGER"),
      ROWS(["41", "42", "43"]),
      "DELETE FROM people WHERE id = 42",
    );
    expect(deleted).toEqual([{ id: 42, email: "p@example.com" }]);
  });
});
