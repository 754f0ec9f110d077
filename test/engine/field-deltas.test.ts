import { afterEach, describe, expect, it } from "vitest";
import { formatPreview } from "../../src/cli/format.ts";
import { preview } from "../../src/engine/run/preview.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import { Harness, type HarnessOptions, people } from "../support/harness.ts";

/**
 * Field-level deltas (`sendChangedFieldsOnly`) and `nulls`, end to end: a real DuckDB model,
 * real SQLite state, the real engine, and an in-memory destination whose updates are partial
 * (it merges the fields it gets into what it holds, as HubSpot does) and which logs every write.
 */
// The delta by the ordered merge (DuckDB's ordered read) and by one lookup per row (a source without one).
const paths: Array<[string, HarnessOptions]> = [
  ["ordered merge", {}],
  ["lookups", { wrapSource: ({ readOrdered: _ordered, ...source }) => source }],
];

describe.each(paths)("field-level deltas and nulls (%s)", (_path, base) => {
  let harness: Harness;
  async function start(options: HarnessOptions) {
    harness = new Harness({ ...base, ...options });
    await harness.setup();
    await harness.sql(people(1, 10));
    return harness;
  }
  afterEach(async () => harness?.close());
  const changedOnly = { changedFieldsOnly: { alwaysSend: ["email"] } };
  const writesOf = (h: Harness, key: string) => h.destination.writes.filter((w) => w.key === key).map((w) => w.fields);
  async function expectConverged(h: Harness) {
    expect(new Map(h.destination.records)).toEqual(await h.model());
  }

  it("sends a changed record with only its changed fields (and those it is found by)", async () => {
    const h = await start(changedOnly);
    await h.run();
    await h.sql("UPDATE people SET name = 'Renamed' WHERE id = 2; UPDATE people SET version = 7 WHERE id = 5");
    const second = await h.run();
    expect(second.counts?.planned).toEqual({ added: 0, changed: 2, removed: 0 });
    expect(writesOf(h, "2")).toEqual([
      { email: "p2@example.com", name: "Person 2", version: 1 },
      { email: "p2@example.com", name: "Renamed" },
    ]);
    expect(writesOf(h, "5").at(-1)).toEqual({ email: "p5@example.com", version: 7 });
    await expectConverged(h);
    expect((await h.run()).counts?.planned.changed).toBe(0);
  });

  it("sends added records with every field", async () => {
    const h = await start(changedOnly);
    await h.run();
    await h.sql(people(11, 11));
    await h.run();
    expect(writesOf(h, "11")).toEqual([{ email: "p11@example.com", name: "Person 11", version: 1 }]);
  });

  it("without the option, a changed record carries every field", async () => {
    const h = await start({ partialUpdate: true });
    await h.run();
    await h.sql("UPDATE people SET name = 'Renamed' WHERE id = 2");
    await h.run();
    expect(writesOf(h, "2").at(-1)).toEqual({ email: "p2@example.com", name: "Renamed", version: 1 });
  });

  it("retries a failed record with every field changed since its last success", async () => {
    const h = await start(changedOnly);
    await h.run();
    await h.sql("UPDATE people SET name = 'Second' WHERE id = 3");
    h.destination.decide = (record) => (record.key === "3" ? "reject" : "ok");
    expect((await h.run()).status).toBe("partial");
    expect(h.ledger().map((entry) => entry.key)).toEqual(["3"]);
    await h.sql("UPDATE people SET version = 3 WHERE id = 3");
    // Still failing: the union grows, nothing is forgotten.
    expect((await h.run()).status).toBe("partial");
    await h.sql("UPDATE people SET email = 'new3@example.com' WHERE id = 3");
    h.destination.decide = () => "ok";
    expect((await h.run()).status).toBe("succeeded");
    expect(h.ledger()).toEqual([]);
    // Attempts 2 and 3 were refused; the fourth carries all three changes.
    expect(h.destination.writes.filter((w) => w.key === "3").map((w) => w.fields)).toEqual([
      { email: "p3@example.com", name: "Person 3", version: 1 },
      { email: "new3@example.com", name: "Second", version: 3 },
    ]);
    await expectConverged(h);
    await h.sql("UPDATE people SET version = 4 WHERE id = 3");
    await h.run();
    expect(writesOf(h, "3").at(-1)).toEqual({ email: "new3@example.com", version: 4 });
  });

  it("sends a field again after a failed attempt even when the model reverted it (stale-value protection)", async () => {
    const h = await start(changedOnly);
    await h.run();
    await h.sql("UPDATE people SET name = 'Temporary' WHERE id = 4");
    // The destination took the value, yet the answer was an error (as after a timeout).
    h.destination.decide = (record) => {
      if (record.key !== "4") return "ok";
      h.destination.records.set("4", { ...h.destination.records.get("4"), ...record.fields });
      return "reject";
    };
    await h.run();
    expect(h.destination.records.get("4")?.name).toBe("Temporary");
    await h.sql("UPDATE people SET name = 'Person 4' WHERE id = 4");
    h.destination.decide = () => "ok";
    const third = await h.run();
    expect(third.counts?.planned.changed).toBe(1);
    expect(writesOf(h, "4").at(-1)).toEqual({ email: "p4@example.com", name: "Person 4" });
    await expectConverged(h);
  });

  it("sends every field on a full resync", async () => {
    const h = await start(changedOnly);
    await h.run();
    await h.run({ fullResync: true });
    expect(writesOf(h, "1")).toEqual([
      { email: "p1@example.com", name: "Person 1", version: 1 },
      { email: "p1@example.com", name: "Person 1", version: 1 },
    ]);
  });

  it("plan shows each changed record's changed fields", async () => {
    const h = await start(changedOnly);
    await h.run();
    await h.sql("UPDATE people SET name = 'Renamed', version = 2 WHERE id = 6");
    const result = await preview(h.state.sqlite, h.sync(), silentLogger);
    expect(result.samples.changed).toEqual([
      {
        key: "6",
        changedFields: ["name", "version"],
        fields: { email: "p6@example.com", name: "Renamed", version: 2 },
      },
    ]);
    expect(formatPreview("people", result)).toContain(
      '  changed 6  changed fields: name, version  {"email":"p6@example.com","name":"Renamed","version":2}',
    );
  });

  describe("nulls", () => {
    it("send (default): a null clears the destination's value", async () => {
      const h = await start({ partialUpdate: true });
      await h.run();
      await h.sql("UPDATE people SET name = NULL WHERE id = 7");
      await h.run();
      expect(writesOf(h, "7").at(-1)).toEqual({ email: "p7@example.com", name: null, version: 1 });
      expect(h.destination.records.get("7")?.name).toBeNull();
    });

    it("skip: a null is left out, so the destination keeps its value; added records too", async () => {
      const h = await start({ partialUpdate: true, nulls: "skip" });
      await h.sql("UPDATE people SET version = NULL WHERE id = 8");
      await h.run();
      expect(writesOf(h, "8")).toEqual([{ email: "p8@example.com", name: "Person 8" }]);
      await h.sql("UPDATE people SET name = NULL WHERE id = 7");
      await h.run();
      expect(writesOf(h, "7").at(-1)).toEqual({ email: "p7@example.com", version: 1 });
      expect(h.destination.records.get("7")?.name).toBe("Person 7");
    });

    it("skip with changed fields only: a field changing to null is not sent; changing back is", async () => {
      const h = await start({ ...changedOnly, nulls: "skip" });
      await h.run();
      await h.sql("UPDATE people SET name = NULL, version = 5 WHERE id = 9");
      await h.run();
      expect(writesOf(h, "9").at(-1)).toEqual({ email: "p9@example.com", version: 5 });
      expect(h.destination.records.get("9")?.name).toBe("Person 9");
      await h.sql("UPDATE people SET name = 'Back' WHERE id = 9");
      await h.run();
      expect(writesOf(h, "9").at(-1)).toEqual({ email: "p9@example.com", name: "Back" });
    });
  });
});

describe("nulls: skip with the diff in the warehouse (DuckDB)", () => {
  let harness: Harness | undefined;
  afterEach(async () => harness?.close());

  it("leaves nulls out of added and changed records, as in local mode", async () => {
    const h = new Harness({ diff: "warehouse", nulls: "skip", partialUpdate: true });
    harness = h;
    await h.setup();
    await h.sql(`${people(1, 3)}; UPDATE people SET version = NULL WHERE id = 2`);
    expect((await h.run()).status).toBe("succeeded");
    await h.sql("UPDATE people SET name = NULL WHERE id = 3");
    expect((await h.run()).status).toBe("succeeded");
    const writes = h.destination.writes.map((w) => [w.key, w.fields]);
    expect(writes).toContainEqual(["2", { email: "p2@example.com", name: "Person 2" }]);
    expect(writes.at(-1)).toEqual(["3", { email: "p3@example.com", version: 1 }]);
    expect(h.destination.records.get("3")?.name).toBe("Person 3");
  });
});
