import type { DestinationRecord } from "syncline/sdk";
import { runDestinationContract } from "syncline/sdk/testing";
import { FAKE_TOKEN } from "./fake/options.ts";
import { startIntercomFake } from "./fake/server.ts";
import intercom from "./index.ts";

const contact = (index: number): DestinationRecord => ({
  key: `u${index}`,
  keyValues: { id: index },
  fields: { external_id: `u${index}`, email: `user${index}@example.com`, name: `User ${index}`, plan: "pro" },
});

runDestinationContract({
  plugin: intercom,
  config: { accessToken: FAKE_TOKEN },
  badConfig: { accessToken: "wrong-token" },
  secrets: ["accessToken"],
  makeServer: () => startIntercomFake(),
  object: "contacts",
  sampleRecords: [contact(1)],
  makeRecord: (index) => contact(1000 + index),
  readBack: async (server) => (server?.fake.records() ?? []).map((record) => String(record.external_id)),
  identify: (record) => String(record.fields.external_id),
});
