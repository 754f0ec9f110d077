import { ConfigurationError } from "../../sdk/errors/configuration-error.ts";

/** A name that is not a configured sync. */
export class UnknownSyncError extends ConfigurationError {
  constructor(sync: string, known: readonly string[]) {
    super(`unknown sync "${sync}"`, { code: "unknown_sync", fix: `configured syncs: ${known.join(", ") || "none"}` });
    this.name = "UnknownSyncError";
  }
}
