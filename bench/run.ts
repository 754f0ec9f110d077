/**
 * `npm run bench` — Syncline's benchmark suite. Each scenario measures against a baseline in
 * the same run and prints a table; every figure goes to bench/results/latest.json.
 *   --quick            small sizes only, one repetition
 *   --only=delta,pacing,naive,service,startup,fields,sink  (warehouse, braze, table, tracing, coerce, sync-logs,
 *                      changelog, grouparoo: only when named)
 *   --repeat=N         repetitions per measurement (figures are medians)
 *   --sizes=100k,1m    model sizes for the delta scenario
 *   --profile          CPU profiles of the delta runs in bench/.work/profiles
 *   --memory-limit=64MB  the delta scenario's DuckDB memoryLimit (default: none set, so
 *                      Syncline's own budget applies)
 * See BENCHMARKS.md.
 */

import { brazeScenario } from "./braze/scenario.ts";
import { changelogScenario } from "./changelog.ts";
import { coerceScenario } from "./coerce/scenario.ts";
import { deltaScenario } from "./delta/scenario.ts";
import { fieldsScenario } from "./fields/scenario.ts";
import { grouparooScenario } from "./grouparoo/scenario.ts";
import { parseArgs } from "./lib/args.ts";
import { machine, writeResults } from "./lib/results.ts";
import { naiveScenario } from "./naive/scenario.ts";
import { pacingScenario } from "./pacing/scenario.ts";
import { serviceScenario } from "./service/scenario.ts";
import { sinkScenario } from "./sink/scenario.ts";
import { startupScenario } from "./startup/scenario.ts";
import { syncLogsScenario } from "./sync-logs.ts";
import { tableScenario } from "./table/scenario.ts";
import { tracingScenario } from "./tracing/scenario.ts";
import { warehouseScenario } from "./warehouse-diff.ts";

const args = parseArgs(process.argv.slice(2));
const startedAt = new Date();
const wanted = (name: string) => args.only.size === 0 || args.only.has(name);
const named = (name: string) => args.only.has(name);
const results: Record<string, unknown> = {};
const m = machine();
process.stderr.write(`syncline bench on ${m.cores} cores, ${m.memoryGb} GB, ${m.cpu}, node ${m.node}\n`);

if (wanted("delta")) results.delta = await deltaScenario(args);
if (wanted("pacing")) results.pacing = await pacingScenario(args);
if (wanted("naive")) results.naive = await naiveScenario(args);
if (wanted("service")) results.service = await serviceScenario(args);
if (wanted("startup")) results.startup = await startupScenario(args);
if (named("coerce")) results.coerce = await coerceScenario(args);
if (named("braze")) results.braze = await brazeScenario(args);
if (named("tracing")) results.tracing = await tracingScenario(args);
if (wanted("fields")) results.fields = await fieldsScenario(args);
if (wanted("sink")) results.sink = await sinkScenario(args);
if (named("warehouse")) results.warehouse = await warehouseScenario(args);
if (named("table")) results.table = await tableScenario(args);
if (named("sync-logs")) results.syncLogs = await syncLogsScenario(args);
if (named("changelog")) results.changelog = await changelogScenario(args);
if (named("grouparoo")) results.grouparoo = await grouparooScenario(args);

const path = writeResults(results, { ...args, only: [...args.only] }, startedAt);
process.stdout.write(`\nresults: ${path} (${Math.round((Date.now() - startedAt.getTime()) / 1000)} s)\n`);
