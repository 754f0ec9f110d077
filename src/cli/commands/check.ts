import { runChecks } from "../../host/checks.ts";
import type { Syncline } from "../../host/open.ts";
import type { CliOptions } from "../main.ts";
import { table as newTable } from "../table.ts";
import { withSyncline } from "./open.ts";

/** Validates the config (loading it does) and connects to every source and destination. */
export function runCheck(options: CliOptions): Promise<number> {
  return withSyncline(options, "check", (app) => check(app));
}

async function check(app: Syncline): Promise<number> {
  const table = newTable({ head: ["kind", "name", "type", "result"] });
  const results = await runChecks(app.config, app.logger, AbortSignal.timeout(60_000));
  for (const { kind, name, type, problem } of results)
    table.push([kind, name, type, problem ? `FAILED: ${problem}` : "ok"]);
  process.stdout.write(`config ${app.config.file}: valid, ${app.config.syncs.size} sync(s)\n${table.toString()}\n`);
  return results.some((result) => result.problem) ? 1 : 0;
}
