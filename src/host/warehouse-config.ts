import { DEFAULTS } from "../config/defaults.ts";
import type { SyncConfig } from "../config/schema.ts";
import type { DiffSpec, SourceHandle } from "../engine/index.ts";

/**
 * A sync's `diff` option, resolved: `local` (default) or `warehouse` with its schema. Warehouse
 * mode needs a source whose plugin can run Syncline's SQL, with a configuration that lets it
 * write (a problem is reported at `syncs.<name>.diff`, naming the sync and the source).
 */
export function resolveDiff(
  raw: SyncConfig["diff"],
  sync: string,
  source: (SourceHandle & { type: string }) | undefined,
  problems: string[],
): DiffSpec | undefined {
  if (raw === undefined) return undefined;
  const diff: DiffSpec =
    typeof raw === "string"
      ? { mode: raw, schema: DEFAULTS.diff.schema }
      : { mode: raw.mode, schema: raw.schema ?? DEFAULTS.diff.schema };
  if (diff.mode !== "warehouse" || !source) return diff;
  const at = `syncs.${sync}.diff`;
  const access = source.plugin.warehouse;
  if (!access) {
    problems.push(
      `${at}: sync "${sync}" asks for the diff in the warehouse, but source "${source.name}" (${source.type}) cannot run it — use diff: local, or a duckdb, postgres, snowflake or bigquery source`,
    );
    return diff;
  }
  const problem = access.configProblem?.(source.config);
  if (problem) problems.push(`${at}: sync "${sync}" computes the diff in source "${source.name}": ${problem}`);
  return diff;
}
