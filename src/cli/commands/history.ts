import { changelogView } from "../../server/present-changelog.ts";
import { ChangelogStore } from "../../state/changelog-store.ts";
import type { CliOptions } from "../options.ts";
import { table } from "../table.ts";
import { withSyncline } from "./open.ts";

/** `syncline history <sync> <key>`: every run that touched a record, newest first (the changelog). */
export function runHistory(sync: string, key: string, options: CliOptions): Promise<number> {
  return withSyncline(options, "read the record changelog", async (app) => {
    app.engine.sync(sync);
    const rows = new ChangelogStore(app.state.sqlite).forRecord(sync, key, { limit: options.limit });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(rows.map(changelogView), null, 2)}\n`);
      return 0;
    }
    if (rows.length === 0) {
      process.stdout.write(
        `no run of ${sync} sent the key ${JSON.stringify(key)} within the changelog's retention — for a composite key give the JSON array, e.g. '["42","eu"]'\n`,
      );
      return 0;
    }
    const out = table({
      head: ["time", "run", "op", "outcome", "attempts", "code", "reason", "remote id"],
      wordWrap: true,
      colWidths: [null, null, null, null, null, null, 50, null] as never,
    });
    for (const r of rows) {
      out.push([r.at, r.runId, r.operation, r.outcome, r.attempts, r.code ?? "", r.reason ?? "", r.remoteId ?? ""]);
    }
    process.stdout.write(`${out.toString()}\n${rows.length} run(s) shown, newest first (--limit N for more)\n`);
    return 0;
  });
}
