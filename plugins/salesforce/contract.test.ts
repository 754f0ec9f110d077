import type { DestinationRecord } from "syncline/sdk";
import { runDestinationContract } from "syncline/sdk/testing";
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET } from "./fake/options.ts";
import { startSalesforceFake } from "./fake/server.ts";
import salesforce from "./index.ts";

const contact = (index: number): DestinationRecord => ({
  key: `k${index}`,
  keyValues: { id: index },
  fields: { External_Id__c: `ext-${index}`, LastName: `Person ${index}`, Email: `p${index}@example.com` },
});

const common = {
  plugin: salesforce,
  badConfig: { clientId: FAKE_CLIENT_ID, clientSecret: "wrong-secret", bulk: "never" },
  secrets: ["clientSecret", "privateKey"],
  makeServer: () => startSalesforceFake(),
  object: "Contact",
  syncOptions: { externalIdField: "External_Id__c" },
  sampleRecords: [contact(1), contact(2), contact(3)],
  makeRecord: (index: number) => contact(1000 + index),
  readBack: async (server: Awaited<ReturnType<typeof startSalesforceFake>> | undefined) =>
    (server?.fake.records("Contact") ?? []).map((record) => String(record.External_Id__c)),
  identify: (record: DestinationRecord) => String(record.fields.External_Id__c),
};

runDestinationContract({
  ...common,
  name: "salesforce (sObject Collections)",
  config: { clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET, bulk: "never" },
});

runDestinationContract({
  ...common,
  name: "salesforce (Bulk API 2.0)",
  config: { clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET, bulk: "always", bulkPollIntervalMs: 5 },
});
