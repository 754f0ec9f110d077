import type { ResolvedSyncLogs } from "../config/resolved.ts";
import type { SourceHandle, SyncLogsSpec } from "../engine/index.ts";

/**
 * A sync's warehouse sync logs (the sync's own `syncLogs`, else its source's: src/config/resolve-sync.ts),
 * checked. The logs go into the source's warehouse, so the source's plugin must be able to
 * write there (duckdb, postgres, snowflake, bigquery) with a configuration that lets it; a
 * problem is reported at the path that turned the logs on, naming the source and the fix.
 */
export function resolveSyncLogs(
  resolved: ResolvedSyncLogs | undefined,
  sync: string,
  source: (SourceHandle & { type: string }) | undefined,
  problems: string[],
): SyncLogsSpec | undefined {
  if (!resolved) return undefined;
  const { at, ...spec } = resolved;
  if (!source) return spec;
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
