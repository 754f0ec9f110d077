import type { DestinationRecord } from "syncline/sdk";
import { runDestinationContract } from "syncline/sdk/testing";
import { FAKE_TOKEN } from "./fake/options.ts";
import { startHubSpotFake } from "./fake/server.ts";
import hubspot from "./index.ts";

const contact = (index: number): DestinationRecord => ({
  key: `c${index}`,
  keyValues: { id: index },
  fields: { email: `person${index}@example.com`, firstname: `Person ${index}`, lifecyclestage: "lead" },
});

runDestinationContract({
  plugin: hubspot,
  config: { accessToken: FAKE_TOKEN },
  badConfig: { accessToken: "pat-na1-wrong" },
  secrets: ["accessToken"],
  makeServer: () => startHubSpotFake(),
  object: "contacts",
  sampleRecords: [contact(1), contact(2), contact(3)],
  makeRecord: (index) => contact(1000 + index),
  readBack: async (server) => (server?.fake.records("contacts") ?? []).map((record) => record.properties.email ?? ""),
  identify: (record) => String(record.fields.email),
});
