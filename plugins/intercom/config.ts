import { type Capabilities, httpDestinationOptions, secret } from "syncline/sdk";
import * as v from "valibot";

export const intercomConfig = v.object({
  accessToken: v.pipe(v.string(), v.minLength(1, "accessToken is required: an Intercom access token"), secret()),
  /** The `Intercom-Version` header every call sends. */
  intercomVersion: v.optional(v.string(), "2.11"),
  /**
   * `baseUrl`: https://api.intercom.io, or the EU (api.eu.intercom.io) / Australian
   * (api.au.intercom.io) region. `rateLimit`: the default is half of Intercom's 10,000 calls a
   * minute (1,666 per 10 s window), because a record can take two calls (search, then create
   * or update).
   */
  ...httpDestinationOptions({ baseUrl: "https://api.intercom.io", concurrency: 16, timeoutMs: 30_000 }),
  /** Mirror deletes: delete the contact, or archive it. */
  deleteMode: v.optional(v.picklist(["delete", "archive"]), "delete"),
});

export type IntercomConfig = v.InferOutput<typeof intercomConfig>;

export const intercomSyncOptions = v.object({
  /** How records find their contact: by `external_id` (default when mapped) or `email`. */
  matchBy: v.optional(v.picklist(["external_id", "email"])),
  /** The role of contacts created (default `user`). */
  role: v.optional(v.picklist(["user", "lead"])),
});

export function intercomCapabilities(config: IntercomConfig): Capabilities {
  return {
    operations: ["upsert", "update", "insert", "delete"],
    maxRecords: 1,
    rateLimit: config.rateLimit ?? { requests: 833, windowMs: 10_000 },
    concurrency: config.concurrency,
    timeoutMs: config.timeoutMs,
    matchingKeys: ["external_id", "email"],
    // PUT /contacts/{id} changes only the attributes sent (custom attributes are merged).
    partialUpdate: true,
  };
}
