import { DEFAULTS } from "../config/defaults.ts";
import type { SyncConfig } from "../config/schema.ts";
import type { SourceHandle } from "../engine/run/source-handle.ts";
import type { SyncLogsSpec } from "../engine/sync-logs/types.ts";

type Raw = SyncConfig["syncLogs"];

/**
 * A sync's warehouse sync logs, resolved: the sync's own `syncLogs` (`false` opts out), else
 * its source's. The logs go into the source's warehouse, so the source's plugin must be able to
 * write there (duckdb, postgres, snowflake, bigquery) with a configuration that lets it; a
 * problem is reported at the path that turned the logs on, naming the source and the fix.
 */
export function resolveSyncLogs(
  own: Raw,
  fromSource: Raw,
  sync: string,
  source: (SourceHandle & { type: string }) | undefined,
  problems: string[],
): SyncLogsSpec | undefined {
  const raw = own ?? fromSource;
  if (raw === undefined || raw === false) return undefined;
  const spec: SyncLogsSpec = { schema: (raw === true ? undefined : raw.schema) ?? DEFAULTS.syncLogs.schema };
  if (!source) return spec;
  const at = own !== undefined ? `syncs.${sync}.syncLogs` : `sources.${source.name}.syncLogs`;
  const access = source.plugin.warehouse;
  if (!access) {
    problems.push(
      `${at}: sync logs are loaded into the sync's source, but source "${source.name}" (${source.type}) is not a warehouse Syncline can write to — remove syncLogs, or set syncLogs: false on sync "${sync}" (duckdb, postgres, snowflake and bigquery sources can hold them)`,
    );
    return spec;
  }
  const problem = access.configProblem?.(source.config);
  if (problem) problems.push(`${at}: sync "${sync}" loads its logs into source "${source.name}": ${problem}`);
  return spec;
}
