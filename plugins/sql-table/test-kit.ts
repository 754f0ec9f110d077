/**
 * Test support shared by the table destinations' suites (MySQL, Postgres): the records and
 * batches they write (the checks they share are in test-checks.ts).
 */
import type { DestinationRecord, Outcome, WriteBatch } from "syncline/sdk";

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
