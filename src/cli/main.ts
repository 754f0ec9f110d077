import { parseArgs } from "node:util";
import { DEFAULTS } from "../config/defaults.ts";
import { configFileOf } from "../config/settings.ts";
import { isSynclineError } from "../sdk/errors/syncline-error.ts";

const USAGE = `syncline — reverse ETL: sync a warehouse model's changes to business tools

usage:
  syncline run <sync>       run a sync now (--json, --full-resync, --force-deletes)
  syncline plan <sync>      dry run: what a run would send (--json, --full-resync)
  syncline check            validate the config and connect to every source and destination
  syncline failures <sync>  the retry ledger (--csv, --limit N)
  syncline serve            run the HTTP service (--run <sync> triggers one run once ready)
  syncline health           ask the running service's /healthz (exit 0 when it answers ok)

options:
  --config <path>           the config file (default ./${DEFAULTS.configFile}, or $SYNCLINE_CONFIG)
  --log-level <level>       trace, debug, info, warn (default for commands), error, silent

exit status: 0 ok, 1 run failed, 2 invalid configuration or usage, 3 run partly failed`;

export interface CliOptions {
  config: string;
  /** Where the config path came from: the flag, SYNCLINE_CONFIG, the image's default, or the default. */
  configFrom: string;
  json: boolean;
  csv: boolean;
  fullResync: boolean;
  forceDeletes: boolean;
  limit: number;
  logLevel: string | undefined;
  run: string | undefined;
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
    // Each command loads only its own modules: `health` runs every few seconds in a container.
    switch (command) {
      case "run":
        return await (await import("./commands/run.ts")).runRun(need(target, "run"), options);
      case "plan":
        return await (await import("./commands/plan.ts")).runPlan(need(target, "plan"), options);
      case "check":
        return await (await import("./commands/check.ts")).runCheck(options);
      case "failures":
        return await (await import("./commands/failures.ts")).runFailures(need(target, "failures"), options);
      case "serve":
        return await (await import("./commands/serve.ts")).runServe(options);
      case "health":
        return await (await import("./commands/health.ts")).runHealth(options);
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

function need(target: string | undefined, command: string): string {
  if (!target) throw Object.assign(new Error(`usage: syncline ${command} <sync>`), { usage: true });
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
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive whole number`);
  const config = configFileOf(values.config, process.env);
  const options: CliOptions = {
    config: config.value,
    configFrom: config.from,
    json: values.json,
    csv: values.csv,
    fullResync: values["full-resync"],
    forceDeletes: values["force-deletes"],
    limit,
    logLevel: values["log-level"],
    run: values.run,
  };
  return { command: values.help ? "help" : positionals[0], target: positionals[1], options };
}
