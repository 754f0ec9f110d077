import type { Column, SourceContext } from "syncline/sdk";
import { clientFor } from "./client.ts";
import type { BigQueryConfig } from "./config.ts";
import { classifyBigQueryError } from "./errors.ts";
import type { SchemaField } from "./types.ts";

/**
 * A query's result columns, from a dry run: it validates the query and returns its schema
 * without running or billing it. Types as the API's schema names them, `ARRAY<T>` when repeated.
 */
export async function dryRunColumns(ctx: SourceContext<BigQueryConfig>, sql: string): Promise<Column[]> {
  const { config } = ctx;
  try {
    const [job] = await clientFor(ctx).createQueryJob({
      query: sql,
      dryRun: true,
      useLegacySql: false,
      ...(config.location ? { location: config.location } : {}),
    });
    const fields = (job.metadata?.statistics?.query?.schema?.fields ?? []) as SchemaField[];
    return fields.map((field) => ({ name: field.name ?? "", type: describe(field) }));
  } catch (error) {
    throw classifyBigQueryError(error, "reading the model's columns from BigQuery");
  }
}

function describe(field: SchemaField): string {
  const type = field.type ?? "UNKNOWN";
  return field.mode === "REPEATED" ? `ARRAY<${type}>` : type;
}
