import Table from "cli-table3";
import { runChecks } from "../../host/checks.ts";
import type { CliOptions } from "../main.ts";
import { openForCommand } from "./open.ts";

/** Validates the config (loading it does) and connects to every source and destination. */
export async function runCheck(options: CliOptions): Promise<number> {
  const app = await openForCommand(options);
  const table = new Table({ head: ["kind", "name", "type", "result"], style: { head: [], border: [] } });
  try {
    const results = await runChecks(app.config, app.logger, AbortSignal.timeout(60_000));
    for (const { kind, name, type, problem } of results)
      table.push([kind, name, type, problem ? `FAILED: ${problem}` : "ok"]);
    process.stdout.write(`config ${app.config.file}: valid, ${app.config.syncs.size} sync(s)\n${table.toString()}\n`);
    return results.some((result) => result.problem) ? 1 : 0;
  } finally {
    await app.close();
  }
}
