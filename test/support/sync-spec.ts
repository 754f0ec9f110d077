import { DEFAULTS } from "../../src/config/defaults.ts";
import { resolveChangelog, resolveDeleteGuard } from "../../src/config/resolve-sync.ts";
import type { SyncSpec } from "../../src/engine/shared/sync-spec.ts";

/** What a sync always names itself; everything else has Syncline's default. */
type Named = Pick<SyncSpec, "name" | "model" | "primaryKey" | "object" | "mapping">;

/**
 * A sync spec built by hand the way the host resolves one from a config: every option the
 * config leaves out takes its default from src/config. A field given as undefined keeps its
 * default too, as an option left out of the config would.
 */
export function syncSpec(fields: Named & Partial<SyncSpec>): SyncSpec {
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return {
    mode: DEFAULTS.mode,
    options: {},
    deleteGuard: resolveDeleteGuard(),
    maxWaitMs: DEFAULTS.sink.maxRateLimitWaitMs,
    validateMapping: DEFAULTS.validateMapping,
    nulls: DEFAULTS.nulls,
    changelog: resolveChangelog(),
    ...(given as Named & Partial<SyncSpec>),
  };
}
