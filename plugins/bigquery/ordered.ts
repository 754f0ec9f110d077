import type { Job } from "@google-cloud/bigquery";
import {
  type Model,
  type OrderedRead,
  type OrderedReadRequest,
  type SourceContext,
  TransientError,
} from "syncline/sdk";
import { bigqueryDialect, storedResultOrderedRead } from "syncline/sdk/sql";
import type { BigQueryConfig } from "./config.ts";
import { classifyBigQueryError } from "./errors.ts";
import { streamRows } from "./read.ts";
import { dryRunColumns } from "./schema.ts";

type Ctx = SourceContext<BigQueryConfig>;

/** Keys per rows query, as one ARRAY<STRING> parameter: a jobs.insert request holds 10 MB. */
const KEY_BATCH = { maxKeys: 50_000, maxChars: 1_500_000 };

/**
 * The model's keys ordered by their canonical text (ORDER BY the key's bytes), each with
 * TO_HEX(MD5(…)) of its canonical JSON computed by BigQuery, then the rows of the keys the
 * engine asks for, `UNNEST(@keys)` (syncline/sdk/sql's storedResultOrderedRead).
 *
 * Both reads see one state of the model: its needed columns are selected by one query job,
 * whose result BigQuery keeps as a temporary table (the job's destinationTable, readable for
 * about 24 hours by the user who ran it), and the sorted digests and the changed rows are read
 * from that table. FOR SYSTEM_TIME AS OF the job's start would work on a table model only,
 * not on a view or SQL (the usual model), and a BigQuery transaction does not span jobs.
 * Every query reads pages through the jobs API as `read` does.
 */
export function readOrdered(ctx: Ctx, model: Model, request: OrderedReadRequest): Promise<OrderedRead | undefined> {
  ctx.signal.throwIfAborted();
  return storedResultOrderedRead(model, request, {
    keys: "UNNEST(@keys) AS k",
    batch: KEY_BATCH,
    dialect: bigqueryDialect,
    async types(columns) {
      const described = await dryRunColumns(ctx, bigqueryDialect.select(model, columns));
      return new Map(described.map((column) => [column.name, column.type]));
    },
    store: (select) => resultTable(ctx, select),
    stream: (sql, keys) => streamRows(ctx, sql, keys ? { params: { keys } } : {}),
  });
}

/** Runs the query job to its end and names its result's temporary table, unread. */
async function resultTable(ctx: Ctx, select: string): Promise<Model> {
  const jobs: Job[] = [];
  for await (const _ of streamRows(ctx, select, { finished: (job) => jobs.push(job) })) {
    // no page is read
  }
  let table: { projectId?: string; datasetId?: string; tableId?: string } | undefined;
  try {
    const [metadata] = await jobs[0]!.getMetadata();
    table = metadata.configuration?.query?.destinationTable;
  } catch (error) {
    throw classifyBigQueryError(error, "reading the model's query job from BigQuery");
  }
  if (!table?.datasetId || !table.tableId) {
    throw new TransientError("BigQuery named no result table for the model's query job", { code: "no_result_table" });
  }
  return { kind: "table", relation: { database: table.projectId, schema: table.datasetId, name: table.tableId } };
}
