/**
 * Checks the table destinations' suites (MySQL, Postgres) share: what a write must do to the
 * suite's `people` and `pairs` tables whatever the database.
 */
import type { DestinationRecord, Outcome, WriteBatch } from "syncline/sdk";
import { expect } from "vitest";
import { type batchesOf, person, statuses } from "./test-kit.ts";

/** A suite's way to one destination instance and its test tables. */
export interface TableTarget {
  write(batch: WriteBatch): Promise<Outcome[]>;
  batch: ReturnType<typeof batchesOf>;
  /** The rows `sql` selects; by default the `people` table's id, email and name, by id. */
  rows(sql?: string): Promise<Array<Record<string, unknown>>>;
  /** The table keyed on (region, id), with a label. */
  pairs: string;
}

/**
 * Changed fields only and `nulls: skip`: a record updates just the columns it carries, and a
 * delivered row deleted in the table meanwhile is inserted again (with what it carries).
 */
export async function expectPartialUpdates({ write, batch, rows }: TableTarget): Promise<void> {
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

/** Upserts insert new rows and update existing ones (with `renamed` too), the key being the remote id. */
export async function expectUpserts({ write, batch, rows }: TableTarget, renamed: Record<string, unknown> = {}) {
  expect(await write(batch([person(1), person(2)]))).toEqual([
    { key: "1", status: "ok", remoteId: "1" },
    { key: "2", status: "ok", remoteId: "2" },
  ]);
  await write(batch([person(2, { name: "Renamed", ...renamed }), person(3)]));
  expect(await rows()).toEqual([
    { id: 1, email: "p1@example.com", name: "Person 1" },
    { id: 2, email: "p2@example.com", name: "Renamed" },
    { id: 3, email: "p3@example.com", name: "Person 3" },
  ]);
}

/** Updates change existing rows only; a key with no row is rejected as `not_found`. */
export async function expectUpdatesOnly({ write, batch, rows }: TableTarget): Promise<void> {
  await write(batch([person(1), person(2)]));
  const outcomes = await write(batch([person(2, { name: "Two" }), person(9)], "update"));
  expect(statuses(outcomes)).toEqual(["2:ok", "9:reject"]);
  expect(outcomes[1]).toMatchObject({ code: "not_found" });
  expect((await rows()).map((row) => row.name)).toEqual(["Person 1", "Two"]);
}

/** Upserts and deletes match on a composite key, whose remote id is the JSON array of its texts. */
export async function expectCompositeKeys({ write, batch, rows, pairs }: TableTarget): Promise<void> {
  const pair = (region: string, id: number, label: string): DestinationRecord => ({
    key: JSON.stringify([region, id]),
    keyValues: { region, id },
    fields: { region, id, label },
  });
  const out = await write(batch([pair("eu", 1, "a"), pair("us", 1, "b")], "upsert", pairs));
  expect(out.map((o) => o.status === "ok" && o.remoteId)).toEqual(['["eu","1"]', '["us","1"]']);
  await write(batch([pair("eu", 1, "c")], "upsert", pairs));
  const gone = { key: '["us",1]', keyValues: { region: "us", id: 1 }, fields: {}, remoteId: '["us","1"]' };
  await write(batch([gone], "delete", pairs));
  expect(await rows(`SELECT region, id, label FROM ${pairs}`)).toEqual([{ region: "eu", id: 1, label: "c" }]);
}
