import Table from "cli-table3";
import { contextFor } from "../../engine/sink/destination-handle.ts";
import { sourceContext } from "../../engine/source-handle.ts";
import { classify } from "../../sdk/errors/classify.ts";
import type { CliOptions } from "../main.ts";
import { settingsTable } from "../settings-table.ts";
import { openForCommand } from "./open.ts";

/** Validates the config (loading it does) and connects to every source and destination. */
export async function runCheck(options: CliOptions): Promise<number> {
  const app = await openForCommand(options);
  const table = new Table({ head: ["kind", "name", "type", "result"], style: { head: [], border: [] } });
  let failures = 0;
  const attempt = async (kind: string, name: string, type: string, check: () => Promise<void>) => {
    try {
      await check();
      table.push([kind, name, type, "ok"]);
    } catch (error) {
      failures++;
      table.push([kind, name, type, `FAILED: ${classify(error).describe()}`]);
    }
  };
  try {
    const signal = AbortSignal.timeout(60_000);
    for (const source of app.config.sources.values()) {
      await attempt("source", source.name, source.type, () =>
        source.plugin.check(sourceContext(source, app.logger, signal)),
      );
    }
    for (const destination of app.config.destinations.values()) {
      await attempt("destination", destination.name, destination.type, () =>
        destination.plugin.check(contextFor(destination, app.logger, signal)),
      );
    }
    process.stdout.write(
      `config ${app.config.file}: valid, ${app.config.syncs.size} sync(s)\n${settingsTable(app.config, options)}\n${table.toString()}\n`,
    );
    return failures > 0 ? 1 : 0;
  } finally {
    await app.close();
  }
}
