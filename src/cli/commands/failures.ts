import { failuresCsv } from "../../host/failures-csv.ts";
import { LedgerStore } from "../../state/ledger-store.ts";
import type { CliOptions } from "../options.ts";
import { table } from "../table.ts";
import { withSyncline } from "./open.ts";

export function runFailures(sync: string, options: CliOptions): Promise<number> {
  return withSyncline(options, "read the retry ledger", async (app) => {
    app.engine.sync(sync);
    const ledger = new LedgerStore(app.state.sqlite);
    if (options.csv) {
      for (const line of failuresCsv(ledger.all(sync))) process.stdout.write(line);
      return 0;
    }
    const entries = ledger.list(sync, { limit: options.limit });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      return 0;
    }
    const count = ledger.count(sync);
    if (count === 0) {
      process.stdout.write(`no failures for ${sync}: every record was accepted\n`);
      return 0;
    }
    const rows = table({
      head: ["key", "op", "attempts", "class", "code", "reason", "last failed"],
      wordWrap: true,
      colWidths: [null, null, null, null, null, 50, null] as never,
    });
    for (const e of entries) {
      rows.push([
        e.key,
        e.operation,
        e.attempts,
        e.errorClass,
        e.errorCode,
        e.reason,
        new Date(e.lastFailedAt).toISOString(),
      ]);
    }
    process.stdout.write(
      `${rows.toString()}\n${entries.length} of ${count} failures shown; they are retried on every run\n`,
    );
    return 0;
  });
}
