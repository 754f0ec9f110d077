import { ConfigurationError } from "../../sdk/errors/configuration-error.ts";
import { callView } from "../../server/present-changelog.ts";
import { CallStore } from "../../state/call-store.ts";
import type { CliOptions } from "../options.ts";
import { table } from "../table.ts";
import { withSyncline } from "./open.ts";

/** `syncline calls <destination>`: the API inspector's last calls to a destination, newest first. */
export function runCalls(destination: string, options: CliOptions): Promise<number> {
  return withSyncline(options, "read the destination call log", async (app) => {
    const known = [...app.config.destinations.keys()];
    if (!known.includes(destination)) {
      throw new ConfigurationError(`unknown destination "${destination}"`, {
        code: "unknown_destination",
        fix: `configured destinations: ${known.join(", ") || "none"}`,
      });
    }
    const calls = new CallStore(app.state.sqlite).last(destination, options.limit).map(callView);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(calls, null, 2)}\n`);
      return 0;
    }
    if (calls.length === 0) {
      const off = app.config.inspector.calls === 0 ? " (the inspector is off: inspector.calls is 0)" : "";
      process.stdout.write(`no calls to ${destination} recorded yet${off}\n`);
      return 0;
    }
    const out = table({ head: ["time", "method", "url", "status", "ms", "sent", "received", "run", "batch"] });
    for (const c of calls) {
      const status = c.status ?? (c.error ? `failed: ${c.error.slice(0, 60)}` : "-");
      out.push([c.at, c.method, c.url, status, c.ms, c.requestBytes, c.responseBytes, c.runId ?? "", c.batch ?? ""]);
    }
    process.stdout.write(`${out.toString()}\n${calls.length} call(s), newest first\n`);
    return 0;
  });
}
