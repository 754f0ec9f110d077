import { DEFAULTS } from "./defaults.ts";
import type { DeleteGuard, ResolvedSync, ResolvedSyncLogs } from "./resolved.ts";
import type { SyncConfig } from "./schema.ts";

/** A sync's options with their defaults; `sourceSyncLogs` is its source's `syncLogs` (the sync's own wins). */
export function resolveSync(name: string, sync: SyncConfig, sourceSyncLogs: SyncConfig["syncLogs"]): ResolvedSync {
  return {
    source: sync.source,
    destination: sync.destination,
    object: sync.object,
    model: sync.model,
    primaryKey: typeof sync.primaryKey === "string" ? [sync.primaryKey] : sync.primaryKey,
    mode: sync.mode ?? DEFAULTS.mode,
    mapping: sync.mapping,
    schedule: sync.schedule,
    options: sync.options ?? {},
    deleteGuard: resolveDeleteGuard(sync.deleteGuard),
    batchSize: sync.batchSize,
    maxWaitMs: sync.maxWaitMs ?? DEFAULTS.sink.maxRateLimitWaitMs,
    diff: sync.diff,
    sendChangedFieldsOnly: sync.sendChangedFieldsOnly ?? DEFAULTS.sendChangedFieldsOnly,
    nulls: sync.nulls ?? DEFAULTS.nulls,
    validateMapping: sync.validateMapping ?? DEFAULTS.validateMapping,
    syncLogs: resolveSyncLogs(name, sync.syncLogs, sync.source, sourceSyncLogs),
    changelog: resolveChangelog(sync.changelog),
  };
}

/** The guard's default share applies only above its minimum of records; a share the user sets applies from the first. */
export function resolveDeleteGuard(raw: SyncConfig["deleteGuard"] = {}): DeleteGuard {
  const own = raw.maxPercent !== undefined;
  return {
    maxPercent: raw.maxPercent ?? DEFAULTS.deleteGuard.maxPercent,
    minRecords: own ? 0 : DEFAULTS.deleteGuard.minRecords,
    ...(raw.maxCount !== undefined ? { maxCount: raw.maxCount } : {}),
  };
}

/** The sync's own `syncLogs` (`false` opts out), else its source's; `at` names the path that turned them on. */
function resolveSyncLogs(
  sync: string,
  own: SyncConfig["syncLogs"],
  source: string,
  fromSource: SyncConfig["syncLogs"],
): ResolvedSyncLogs | undefined {
  const raw = own ?? fromSource;
  if (raw === undefined || raw === false) return undefined;
  return {
    schema: (raw === true ? undefined : raw.schema) ?? DEFAULTS.syncLogs.schema,
    at: own !== undefined ? `syncs.${sync}.syncLogs` : `sources.${source}.syncLogs`,
  };
}

/** The record changelog: on unless turned off, values only when opted in. */
export function resolveChangelog(raw?: SyncConfig["changelog"]): ResolvedSync["changelog"] {
  const options = typeof raw === "object" ? raw : { enabled: raw };
  return {
    enabled: options.enabled ?? DEFAULTS.changelog.enabled,
    values: options.values ?? DEFAULTS.changelog.values,
  };
}
