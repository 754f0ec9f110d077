/**
 * Test support shared by the table destinations' suites (MySQL, Postgres): the records and
 * batches they write, and the checks whose expectations do not depend on the database.
 */
import type { DestinationRecord, Outcome, WriteBatch } from "syncline/sdk";
import { expect } from "vitest";

/** A row of the suites' `people` table (id, email, name), with `fields` on top. */
export const person = (id: number, fields: Record<string, unknown> = {}): DestinationRecord => ({
  key: String(id),
  keyValues: { id },
  fields: { id, email: `p${id}@example.com`, name: `Person ${id}`, ...fields } as DestinationRecord["fields"],
});

/** A batch maker whose object is `people` unless given. */
export function batchesOf(people: string) {
  return (
    records: DestinationRecord[],
    operation: WriteBatch["operation"] = "upsert",
    object = people,
    options = {},
  ): WriteBatch => ({ object, operation, records, options });
}

export const statuses = (outcomes: Outcome[]) => outcomes.map((outcome) => `${outcome.key}:${outcome.status}`);

/**
 * Changed fields only and `nulls: skip`: a record updates just the columns it carries, and a
 * delivered row deleted in the table meanwhile is inserted again (with what it carries).
 */
export async function expectPartialUpdates(
  write: (batch: WriteBatch) => Promise<Outcome[]>,
  batch: (records: DestinationRecord[]) => WriteBatch,
  rows: () => Promise<unknown[]>,
): Promise<void> {
  await write(batch([person(1), person(2), person(3)]));
  const partial = (id: number, fields: Record<string, unknown>): DestinationRecord => ({
    key: String(id),
    keyValues: { id },
    fields: { id, ...fields } as DestinationRecord["fields"],
    remoteId: String(id),
  });
  const outcomes = await write(
    batch([partial(1, { name: "Only name" }), partial(2, { email: "new2@example.com" }), person(3, { name: "All" })]),
  );
  expect(statuses(outcomes)).toEqual(["1:ok", "2:ok", "3:ok"]);
  const revived = await write(batch([{ ...person(9), remoteId: "9" }]));
  expect(statuses(revived)).toEqual(["9:ok"]);
  expect(await rows()).toEqual([
    { id: 1, email: "p1@example.com", name: "Only name" },
    { id: 2, email: "new2@example.com", name: "Person 2" },
    { id: 3, email: "p3@example.com", name: "All" },
    { id: 9, email: "p9@example.com", name: "Person 9" },
  ]);
}
