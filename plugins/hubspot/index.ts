import { defineDestination } from "syncline/sdk";
import { type HubSpotConfig, hubspotCapabilities, hubspotConfig, hubspotSyncOptions, idPropertyFor } from "./config.ts";
import { discoverObjects } from "./discover.ts";
import { hubspotApi } from "./http.ts";
import { writeBatch } from "./write.ts";

/**
 * HubSpot CRM v3: contacts, companies, deals and custom objects, written with the batch
 * endpoints (upsert by a unique property, update, create, archive), 100 records per call.
 */
export default defineDestination<HubSpotConfig>({
  name: "hubspot",
  description: "HubSpot CRM objects via the CRM v3 batch API",
  config: hubspotConfig,
  syncOptions: hubspotSyncOptions,
  capabilities: hubspotCapabilities,
  async check(ctx) {
    await hubspotApi.request(ctx, "GET", "crm/v3/objects/contacts?limit=1");
  },
  discover: discoverObjects,
  // Upserts (and updates of records whose HubSpot id is unknown) find the record by idProperty.
  identifyingFields: (object, options) => {
    const idProperty = idPropertyFor(object, options);
    return idProperty ? [idProperty] : [];
  },
  write: writeBatch,
});
