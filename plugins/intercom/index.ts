import { defineDestination } from "syncline/sdk";
import { type IntercomConfig, intercomCapabilities, intercomConfig, intercomSyncOptions } from "./config.ts";
import { discoverObjects } from "./discover.ts";
import { intercomApi } from "./http.ts";
import { writeBatch } from "./write.ts";

/**
 * Intercom contacts, one call per record: matched by external_id or email (or the remote id),
 * then updated or created; mirror deletes delete or archive the contact.
 */
export default defineDestination<IntercomConfig>({
  name: "intercom",
  description: "Intercom contacts via the REST API",
  config: intercomConfig,
  syncOptions: intercomSyncOptions,
  capabilities: intercomCapabilities,
  async check(ctx) {
    await intercomApi.request(ctx, "GET", "me");
  },
  discover: discoverObjects,
  // A contact whose id is unknown is found by external_id or email (matchBy).
  identifyingFields: (_object, options) =>
    options.matchBy === "email" || options.matchBy === "external_id" ? [options.matchBy] : ["external_id", "email"],
  write: writeBatch,
});
