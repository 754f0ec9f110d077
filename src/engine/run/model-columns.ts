import { suggest } from "../../config/issues.ts";
import { ConfigurationError } from "../../sdk/errors/configuration-error.ts";
import type { Logger } from "../../sdk/logger.ts";
import { type SourceHandle, sourceContext } from "../shared/source-handle.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";

/**
 * The first column a sync needs that its model lacks — the primary key's, then the mapped ones
 * — as an error naming the config path, the column and the closest one the model has. Names
 * that differ only in case count as present: warehouses disagree on whether they match.
 */
export function missingColumn(spec: SyncSpec, available: readonly string[]): ConfigurationError | undefined {
  const known = new Set(available.map((name) => name.toLowerCase()));
  const needed: Array<[path: string, column: string]> = [
    ...spec.primaryKey.map((column): [string, string] => ["primaryKey", column]),
    ...spec.mapping.map(([field, column]): [string, string] => [`mapping.${field}`, column]),
  ];
  const found = needed.find(([, column]) => !known.has(column.toLowerCase()));
  if (!found) return undefined;
  const [at, column] = found;
  const path = `syncs.${spec.name}.${at}`;
  const hint = suggest(column, available);
  const listed = available.length > 20 ? `${available.slice(0, 20).join(", ")}, …` : available.join(", ");
  return new ConfigurationError(
    `${path}: column "${column}" is not in the model${hint ? ` — did you mean "${hint}"?` : ""} (the model's columns: ${listed || "none"})`,
    {
      code: "missing_column",
      path,
      fix:
        at === "primaryKey"
          ? "correct primaryKey, or select that column in the model"
          : `correct the mapping, or select that column in the model`,
    },
  );
}

/** Reads the model's columns (a zero-row query) and throws the missingColumn error, if any. */
export async function verifyModelColumns(
  source: SourceHandle,
  spec: SyncSpec,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const columns = await source.plugin.columns(sourceContext(source, logger, signal), spec.model);
  const missing = missingColumn(
    spec,
    columns.map((column) => column.name),
  );
  if (missing) throw missing;
}

/**
 * Why reading the model failed, in the sync's own terms when a column it names is missing
 * (rather than the warehouse's words about the query Syncline wrapped the model in); the
 * original error otherwise, or when even the columns cannot be read.
 */
export async function explainReadFailure(
  error: unknown,
  source: SourceHandle,
  spec: SyncSpec,
  logger: Logger,
  signal: AbortSignal,
): Promise<unknown> {
  if ((error as { kind?: unknown } | null)?.kind !== "configuration") return error;
  try {
    await verifyModelColumns(source, spec, logger, signal);
    return error;
  } catch (explained) {
    return (explained as { code?: unknown }).code === "missing_column" ? explained : error;
  }
}
