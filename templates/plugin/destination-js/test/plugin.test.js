// `npm test` runs this file with Node's test runner (`node --test`); `vitest run` runs the
// contract as well. runDestinationContract registers Syncline's destination contract: one
// outcome per record, idempotent upserts, a full batch, 503/429/400/unreachable classified,
// a bad key reported as a configuration error, deletes, secrets marked.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { makeDestinationContext, runDestinationContract } from "syncline/sdk/testing";
import { FAKE_API_KEY, startFake } from "../src/fake.js";
import plugin from "../src/index.js";

/** @param {number} index @returns {import("syncline/sdk").DestinationRecord} */
const person = (index) => ({
  key: `person-${index}`,
  keyValues: { id: index },
  fields: { name: `Person ${index}`, score: index },
});

runDestinationContract({
  plugin,
  config: { apiKey: FAKE_API_KEY },
  badConfig: { apiKey: "wrong" },
  secrets: ["apiKey"],
  makeServer: () => startFake({ rateLimit: { requests: 1_000, windowMs: 1_000 } }),
  object: "people",
  sampleRecords: [person(1), person(2)],
  makeRecord: (index) => person(100 + index),
  readBack: async (server) => (server?.fake.records("people") ?? []).map((stored) => stored.externalId),
});

describe("__PLUGIN_NAME__ against its fake", () => {
  /** @type {Awaited<ReturnType<typeof startFake>>} */
  let server;
  before(async () => {
    server = await startFake();
  });
  after(() => server.close());

  it("rejects an invalid record with the API's code and message, and keeps the others", async () => {
    const ctx = makeDestinationContext(plugin, { apiKey: FAKE_API_KEY }, { baseUrl: server.url });
    const invalid = { ...person(9), fields: { name: { first: "Ada" } } };
    const outcomes = await plugin.write(ctx, {
      object: "people",
      operation: "upsert",
      records: [person(8), invalid],
      options: {},
    });
    assert.equal(outcomes[0]?.status, "ok");
    assert.deepEqual(outcomes[1], {
      key: "person-9",
      status: "reject",
      code: "invalid_value",
      message: "field name must be a string, number or boolean",
    });
    assert.deepEqual(
      server.fake.records("people").map((stored) => stored.externalId),
      ["person-8"],
    );
  });
});
