import { defineDestination } from "syncline/sdk";
import {
  dataPath,
  type SalesforceConfig,
  salesforceCapabilities,
  salesforceConfig,
  salesforceSyncOptions,
} from "./config.ts";
import { discoverObjects } from "./discover.ts";
import { salesforceRequest } from "./http.ts";
import { writeBatch } from "./write.ts";

/**
 * Salesforce: upserts by external id with sObject Collections (200 records per call), or with
 * Bulk API 2.0 ingest jobs for large batches; OAuth client-credentials or JWT bearer flow.
 */
export default defineDestination<SalesforceConfig>({
  name: "salesforce",
  description: "Salesforce sObjects via sObject Collections and Bulk API 2.0",
  config: salesforceConfig,
  syncOptions: salesforceSyncOptions,
  capabilities: salesforceCapabilities,
  async check(ctx) {
    await salesforceRequest(ctx, "GET", dataPath(ctx.config, "limits"));
  },
  discover: discoverObjects,
  // Upserts find the record by the external id field.
  identifyingFields: (_object, options) =>
    typeof options.externalIdField === "string" ? [options.externalIdField] : [],
  write: writeBatch,
});
