import { SynclineError } from "./syncline-error.ts";

/**
 * Something the user must change before any run can succeed: a bad credential, a missing
 * table, an invalid option. Fails the run (or the start) with `fix` telling what to do.
 */
export class ConfigurationError extends SynclineError {
  readonly kind = "configuration" as const;
  /** Where in the configuration the problem is, for example `syncs.contacts.primaryKey`. */
  readonly path: string | undefined;

  constructor(message: string, options: { code?: string; fix?: string; path?: string; cause?: unknown } = {}) {
    super(message, { code: "configuration", ...options });
    this.name = "ConfigurationError";
    this.path = options.path;
  }
}
