import { parseArgs } from "node:util";
import { DEFAULTS } from "../config/defaults.ts";
import { configFileOf } from "../config/settings.ts";
import { reportFailure } from "./failure.ts";
import type { CliOptions } from "./options.ts";
import { UsageError } from "./usage-error.ts";

const USAGE = `syncline — reverse ETL: sync a warehouse model's changes to business tools

usage:
  syncline run <sync>       run a sync now (--json, --full-resync, --force-deletes)
  syncline run --sequence <name>
                            run a sequence now: its syncs in order (--json)
  syncline plan <sync>      dry run: what a run would send (--json, --full-resync)
  syncline check            validate the config and connect to every source and destination
  syncline failures <sync>  the retry ledger (--csv, --limit N)
  syncline history <sync> <key>
                            every run that sent a record: outcome, reason, remote id (--json, --limit N)
  syncline calls <destination>
                            the last calls to a destination: status, time, sizes (--json, --limit N)
  syncline serve            run the HTTP service (--run <sync> triggers one run once ready)
  syncline state backup <file>
                            copy the state file, consistently, while syncs run (online backup)
  syncline plugin init <dir> --destination|--source [--js]
                            scaffold a plugin package: plugin, fake API, contract tests
  syncline health           ask the running service's /healthz (exit 0 when it answers ok)
  syncline alerts test      send a test notification to each alert channel (--channel <name>)

options:
  --config <path>           the config file (default ./${DEFAULTS.configFile}, or $SYNCLINE_CONFIG)
  --log-level <level>       trace, debug, info, warn (default for commands), error, silent

exit status: 0 ok, 1 run failed, 2 invalid configuration or usage, 3 run partly failed`;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "plugin") return (await import("./commands/plugin.ts")).runPlugin(argv.slice(1));
  try {
    const { command, args, options } = parse(argv);
    // Each command loads only its own modules: `health` runs every few seconds in a container.
    switch (command) {
      case "run":
        if (options.sequence !== undefined) {
          if (args[0] || options.fullResync || options.forceDeletes) {
            throw new UsageError(
              "--sequence runs its syncs as configured: give no sync, --full-resync or --force-deletes with it — usage: syncline run --sequence <name>",
            );
          }
          return await (await import("./commands/run-sequence.ts")).runSequence(options.sequence, options);
        }
        return await (await import("./commands/run.ts")).runRun(need(args[0], "the sync", "run <sync>"), options);
      case "plan":
        return await (await import("./commands/plan.ts")).runPlan(need(args[0], "the sync", "plan <sync>"), options);
      case "check":
        return await (await import("./commands/check.ts")).runCheck(options);
      case "failures":
        return await (await import("./commands/failures.ts")).runFailures(
          need(args[0], "the sync", "failures <sync>"),
          options,
        );
      case "history":
        return await (await import("./commands/history.ts")).runHistory(
          need(args[0], "the sync", "history <sync> <key>"),
          need(args[1], "the record's key", "history <sync> <key>"),
          options,
        );
      case "calls":
        return await (await import("./commands/calls.ts")).runCalls(
          need(args[0], "the destination", "calls <destination>"),
          options,
        );
      case "serve":
        return await (await import("./commands/serve.ts")).runServe(options);
      case "health":
        return await (await import("./commands/health.ts")).runHealth(options);
      case "state":
        if (args[0] !== "backup") {
          throw new UsageError(
            `${args[0] ? `unknown state command "${args[0]}"` : "a state command is missing"} — usage: syncline state backup <file>`,
          );
        }
        return await (await import("./commands/state.ts")).runStateBackup(
          need(args[1], "the backup file", "state backup <file>"),
          options,
        );
      case "alerts":
        return await (await import("./commands/alerts.ts")).runAlerts(
          need(args[0], "the alerts action", "alerts test"),
          options,
        );
      case undefined:
      case "help":
        process.stdout.write(`${USAGE}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`syncline: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    return reportFailure(error);
  }
}

function need(value: string | undefined, what: string, usage: string): string {
  if (!value) throw new UsageError(`${what} is missing — usage: syncline ${usage}`);
  return value;
}

function parse(argv: string[]) {
  const { values, positionals } = parseFlags(argv);
  const limit = values.limit === undefined ? DEFAULTS.cliListLimit : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit must be a positive whole number");
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
    sequence: values.sequence,
    channel: values.channel,
  };
  return { command: values.help ? "help" : positionals[0], args: positionals.slice(1), options };
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: FLAGS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const FLAGS = {
  config: { type: "string", short: "c" },
  json: { type: "boolean", default: false },
  csv: { type: "boolean", default: false },
  "full-resync": { type: "boolean", default: false },
  "force-deletes": { type: "boolean", default: false },
  limit: { type: "string" },
  "log-level": { type: "string" },
  run: { type: "string" },
  sequence: { type: "string" },
  channel: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;
