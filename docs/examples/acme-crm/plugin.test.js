// plugin.test.js — run with `node --test` or `vitest run`.
import { runDestinationContract } from "syncline/sdk/testing";
import { FAKE_API_KEY, startAcmeFake } from "./fake.js";
import plugin from "./index.js";

runDestinationContract({
  plugin,
  config: { apiKey: FAKE_API_KEY },
  badConfig: { apiKey: "wrong" },
  secrets: ["apiKey"],
  makeServer: () => startAcmeFake(), // { url, close() }; the kit sets baseUrl to url
  object: "people",
  sampleRecords: [{ key: "1", keyValues: { id: 1 }, fields: { name: "Ada" } }],
  makeRecord: (i) => ({ key: `p${i}`, keyValues: { id: i }, fields: { name: `Person ${i}` } }),
  readBack: async (server) => server.fake.people().map((person) => person.id),
});
