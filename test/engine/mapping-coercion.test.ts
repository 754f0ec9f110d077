import { afterEach, describe, expect, it } from "vitest";
import type { DiscoveredObject } from "../../src/sdk/destination.ts";
import { PermanentError } from "../../src/sdk/errors/permanent-error.ts";
import type { Logger } from "../../src/sdk/logger.ts";
import { Harness, people } from "../support/harness.ts";

/** The model: `age` is text, a number for every person but #3, whose age is "old"; `vip` is 1 or 0. */
const SQL = `SELECT id, email, CASE WHEN id = 3 THEN 'old' ELSE CAST(id * 10 AS VARCHAR) END AS age,
  CAST(id % 2 AS INTEGER) AS vip FROM people`;
const OBJECT: DiscoveredObject = {
  name: "people",
  fields: [
    { name: "email", type: "string" },
    { name: "age", type: "integer" },
    { name: "vip", type: "boolean" },
  ],
};

function warnings(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (obj, msg) => lines.push(`${msg ?? ""} ${JSON.stringify(obj)}`),
    error() {},
    child: () => logger,
  };
  return { logger, lines };
}

describe("values coerced to the destination's field types before sending", () => {
  let harness: Harness;
  afterEach(() => harness?.close());

  const setup = async (options: ConstructorParameters<typeof Harness>[0] = {}) => {
    harness = await new Harness({
      sql: SQL,
      mapping: [
        ["age", "age"],
        ["email", "email"],
        ["vip", "vip"],
      ],
      ...options,
    }).setup();
    await harness.sql(people(1, 5));
    return harness;
  };

  it("coerces what converts, and rejects a value that does not without an API call", async () => {
    let discovered = 0;
    await setup({
      maxRecords: 2,
      discover: async () => {
        discovered++;
        return [OBJECT];
      },
    });
    const carried: string[] = [];
    harness.destination.beforeCall = (_call, records) => carried.push(...records.map((record) => record.key));
    const run = await harness.run();
    expect(run.status).toBe("partial");
    expect(run.counts?.succeeded.added).toBe(4);
    expect(run.counts?.failed.added).toBe(1);
    // Read once per run, whatever the number of batches.
    expect(discovered).toBe(1);
    const sent = harness.destination.writes;
    expect(sent.map((write) => write.key).sort()).toEqual(["1", "2", "4", "5"]);
    expect(sent.find((write) => write.key === "2")?.fields).toEqual({ age: 20, email: "p2@example.com", vip: false });
    expect(sent.find((write) => write.key === "1")?.fields.vip).toBe(true);
    // No call carried record 3.
    expect(carried.sort()).toEqual(["1", "2", "4", "5"]);
    const calls = harness.destination.calls;
    const [ledger] = harness.ledger();
    expect(ledger).toMatchObject({ key: "3", attempts: 0, error_code: "invalid_value" });
    expect(ledger?.reason).toBe(
      'field "age" takes an integer; got the string "old" (not sent: fix the value in the model, or map another column)',
    );

    // The next run screens it again (no call); once the model is fixed it is sent.
    const again = await harness.run();
    expect(again.counts?.failed.added).toBe(1);
    expect(harness.destination.calls).toBe(calls);
    await harness.reconfigure({ sql: SQL.replace("'old'", "'33'") });
    const fixed = await harness.run();
    expect(fixed.status).toBe("succeeded");
    expect(harness.destination.records.get("3")).toMatchObject({ age: 33 });
    expect(harness.ledger()).toEqual([]);
  });

  it("spends no call at all when every record of a batch is refused", async () => {
    await setup({
      discover: async () => [{ ...OBJECT, fields: [{ name: "email", type: "integer" }] }],
    });
    const run = await harness.run();
    expect(run.counts?.failed.added).toBe(5);
    expect(harness.destination.calls).toBe(0);
    expect(harness.ledger().map((entry) => entry.error_code)).toEqual(Array(5).fill("invalid_value"));
  });

  it("warns and sends values as they are when discover fails", async () => {
    const { logger, lines } = warnings();
    await setup({
      logger,
      discover: async () => {
        throw new PermanentError("describe refused");
      },
    });
    const run = await harness.run();
    expect(run.status).toBe("succeeded");
    expect(harness.destination.records.get("3")).toMatchObject({ age: "old", vip: 1 });
    expect(lines.join("\n")).toMatch(
      /could not read memory's fields: values are sent without type checks.*describe refused/,
    );
  });

  it("warns and sends values as they are when discover's answer is malformed", async () => {
    const { logger, lines } = warnings();
    await setup({ logger, discover: async () => [{ name: "people", fields: [null] }] as never });
    expect((await harness.run()).status).toBe("succeeded");
    expect(harness.destination.records.get("3")).toMatchObject({ age: "old" });
    expect(lines.join("\n")).toContain("values are sent without type checks");
  });

  it("does not discover when the sync turns validation off", async () => {
    let discovered = 0;
    await setup({
      validateMapping: false,
      discover: async () => {
        discovered++;
        return [OBJECT];
      },
    });
    expect((await harness.run()).status).toBe("succeeded");
    expect(discovered).toBe(0);
    expect(harness.destination.records.get("2")).toMatchObject({ age: "20" });
  });
});
