import { DEFAULTS } from "../../config/defaults.ts";
import { runChecks } from "../../host/checks.ts";
import type { Syncline } from "../../host/open.ts";
import type { CliOptions } from "../options.ts";
import { settingsTable } from "../settings-table.ts";
import { table as newTable } from "../table.ts";
import { withSyncline } from "./open.ts";

/** Validates the config (loading it does), says where each setting came from, and connects to everything. */
export function runCheck(options: CliOptions): Promise<number> {
  return withSyncline(options, "check", (app) => check(app, options));
}

async function check(app: Syncline, options: CliOptions): Promise<number> {
  const table = newTable({ head: ["kind", "name", "type", "result"] });
  const results = await runChecks(app.config, app.logger, AbortSignal.timeout(DEFAULTS.checkTimeoutMs));
  for (const { kind, name, type, problem, notes } of results) {
    const remarks = (notes ?? []).map((note) => `\nnote: ${note}`).join("");
    table.push([kind, name, type, `${problem ? `FAILED: ${problem}` : "ok"}${remarks}`]);
  }
  process.stdout.write(
    `config ${app.config.file}: valid, ${app.config.syncs.size} sync(s)\n${settingsTable(app.config, options)}\n${table.toString()}\n`,
  );
  return results.some((result) => result.problem) ? 1 : 0;
}
