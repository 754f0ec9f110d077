import type { DestinationRecord } from "syncline/sdk";
import { runDestinationContract } from "syncline/sdk/testing";
import { FAKE_API_KEY } from "./fake/options.ts";
import { startBrazeFake } from "./fake/server.ts";
import braze from "./index.ts";

const user = (index: number): DestinationRecord => ({
  key: `u${index}`,
  keyValues: { id: index },
  fields: { external_id: `u${index}`, email: `user${index}@example.com`, first_name: `User ${index}`, plan: "pro" },
});

runDestinationContract({
  plugin: braze,
  config: { apiKey: FAKE_API_KEY },
  badConfig: { apiKey: "wrong-braze-key" },
  secrets: ["apiKey"],
  makeServer: () => startBrazeFake(),
  object: "users",
  sampleRecords: [user(1), user(2), user(3)],
  makeRecord: (index) => user(1000 + index),
  readBack: async (server) => (server?.fake.records() ?? []).map((record) => String(record.external_id)),
  identify: (record) => String(record.fields.external_id),
});
