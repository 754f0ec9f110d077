import { runView } from "../../server/present.ts";
import { formatRun } from "../format.ts";
import type { CliOptions } from "../main.ts";
import { showProgress } from "../progress.ts";
import { withSyncline } from "./open.ts";

/** `syncline run <sync>`: exit 0 succeeded, 3 partial, 1 otherwise; `--json` prints the run as the API does. */
export function runRun(sync: string, options: CliOptions): Promise<number> {
  return withSyncline(options, "start the run", async (app) => {
    const stopProgress = options.json ? () => {} : showProgress(app.engine);
    const onSignal = () => {
      process.stderr.write("\nstopping at the next batch boundary (Ctrl-C again to force)…\n");
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      // A state file that cannot be closed is reported by the close that follows the run.
      void app.engine.close(10_000).catch(() => {});
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      const run = await app.engine.runNow(sync, {
        fullResync: options.fullResync,
        forceDeletes: options.forceDeletes,
      });
      stopProgress();
      process.stdout.write(options.json ? `${JSON.stringify(runView(run), null, 2)}\n` : `${formatRun(run)}\n`);
      return run.status === "succeeded" ? 0 : run.status === "partial" ? 3 : 1;
    } finally {
      stopProgress();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  });
}
