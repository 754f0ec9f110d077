import { defineDestination } from "syncline/sdk";
import { type BrazeConfig, brazeCapabilities, brazeConfig, brazeSyncOptions, identityOf } from "./config.ts";
import { discoverObjects } from "./discover.ts";
import { brazeApi, messageOf } from "./http.ts";
import { writeBatch } from "./write.ts";

/**
 * Braze user profiles: attributes through `/users/track`, 75 users a call, by external_id or a
 * user alias; mirror deletes through `/users/delete`, 50 a call.
 */
export default defineDestination<BrazeConfig>({
  name: "braze",
  description: "Braze user attributes via /users/track",
  config: brazeConfig,
  syncOptions: brazeSyncOptions,
  capabilities: brazeCapabilities,
  /**
   * Braze has no endpoint that only checks a key: an empty `/users/track` call is refused with
   * 400 ("Valid data must be provided") when the key is good, and 401/403 when it is not.
   */
  async check(ctx) {
    const response = await brazeApi.call(ctx, "POST", "users/track", { json: {} });
    if (response.ok || (response.status === 400 && messageOf(response.body) !== "")) return;
    throw brazeApi.error(response, ctx);
  },
  discover: discoverObjects,
  // Every record names its user: external_id, or alias_name with identifier: user_alias.
  identifyingFields: (_object, options) => [identityOf(options).field],
  write: writeBatch,
});
