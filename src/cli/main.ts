import { parseArgs } from "node:util";
import { DEFAULTS } from "../config/defaults.ts";
import { isSynclineError } from "../sdk/errors/syncline-error.ts";
import { runAlerts } from "./commands/alerts.ts";
import { runCheck } from "./commands/check.ts";
import { runFailures } from "./commands/failures.ts";
import { runPlan } from "./commands/plan.ts";
import { runRun } from "./commands/run.ts";
import { runServe } from "./commands/serve.ts";

const USAGE = `syncline — reverse ETL: sync a warehouse model's changes to business tools

usage:
  syncline run <sync>       run a sync now (--json, --full-resync, --force-deletes)
  syncline plan <sync>      dry run: what a run would send (--json, --full-resync)
  syncline check            validate the config and connect to every source and destination
  syncline failures <sync>  the retry ledger (--csv, --limit N)
  syncline serve            run the HTTP service (--run <sync> triggers one run once ready)
  syncline alerts test      send a test notification to each alert channel (--channel <name>)

options:
  --config <path>           the config file (default ./${DEFAULTS.configFile}, or $SYNCLINE_CONFIG)
  --log-level <level>       trace, debug, info, warn (default for commands), error, silent

exit status: 0 ok, 1 run failed, 2 invalid configuration or usage, 3 run partly failed`;

export interface CliOptions {
  config: string;
  json: boolean;
  csv: boolean;
  fullResync: boolean;
  forceDeletes: boolean;
  limit: number;
  logLevel: string | undefined;
  run: string | undefined;
  channel: string | undefined;
}

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { command, target, options } = parsed;
  try {
    switch (command) {
      case "run":
        return await runRun(need(target, "run"), options);
      case "plan":
        return await runPlan(need(target, "plan"), options);
      case "check":
        return await runCheck(options);
      case "failures":
        return await runFailures(need(target, "failures"), options);
      case "serve":
        return await runServe(options);
      case "alerts":
        return await runAlerts(need(target, "alerts", "test"), options);
      case undefined:
      case "help":
        process.stdout.write(`${USAGE}\n`);
        return 0;
      default:
        process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (isSynclineError(error)) {
      process.stderr.write(`syncline: ${error.describe()}\n`);
      return error.kind === "configuration" ? 2 : 1;
    }
    process.stderr.write(`syncline: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

function need(target: string | undefined, command: string, what = "<sync>"): string {
  if (!target) throw Object.assign(new Error(`usage: syncline ${command} ${what}`), { usage: true });
  return target;
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: "string", short: "c" },
      json: { type: "boolean", default: false },
      csv: { type: "boolean", default: false },
      "full-resync": { type: "boolean", default: false },
      "force-deletes": { type: "boolean", default: false },
      limit: { type: "string" },
      "log-level": { type: "string" },
      run: { type: "string" },
      channel: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive whole number`);
  const options: CliOptions = {
    config: values.config ?? process.env.SYNCLINE_CONFIG ?? DEFAULTS.configFile,
    json: values.json,
    csv: values.csv,
    fullResync: values["full-resync"],
    forceDeletes: values["force-deletes"],
    limit,
    logLevel: values["log-level"],
    run: values.run,
    channel: values.channel,
  };
  return { command: values.help ? "help" : positionals[0], target: positionals[1], options };
}
