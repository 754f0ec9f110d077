import { onStopSignals } from "../../host/stop-signals.ts";
import { runView } from "../../server/present.ts";
import { formatRun } from "../format.ts";
import type { CliOptions } from "../options.ts";
import { showProgress } from "../progress.ts";
import { withSyncline } from "./open.ts";

/** `syncline run <sync>`: exit 0 succeeded, 3 partial, 1 otherwise; `--json` prints the run as the API does. */
export function runRun(sync: string, options: CliOptions): Promise<number> {
  return withSyncline(
    options,
    "start the run",
    async (app) => {
      const stopProgress = options.json ? () => {} : showProgress(app.engine);
      // SIGTERM or Ctrl-C: the batches in flight finish and commit (within server.shutdownGraceMs,
      // as for the service) and the run ends interrupted; a second signal exits at once. A state
      // file that cannot be closed is reported by the close that follows the run.
      const release = onStopSignals(() => {
        process.stderr.write("\nstopping at the next batch boundary (Ctrl-C again to force)…\n");
        void app.engine.close(app.config.server.shutdownGraceMs).catch(() => {});
      });
      try {
        const run = await app.engine.runNow(sync, {
          fullResync: options.fullResync,
          forceDeletes: options.forceDeletes,
        });
        stopProgress();
        process.stdout.write(options.json ? `${JSON.stringify(runView(run), null, 2)}\n` : `${formatRun(run)}\n`);
        // The run's warehouse sync logs load before the process exits (a failure is a warning
        // and a pending load, never the exit status).
        await app.engine.syncLogsSettled();
        return run.status === "succeeded" ? 0 : run.status === "partial" ? 3 : 1;
      } finally {
        stopProgress();
        release();
      }
    },
    { alerting: true, tracing: true },
  );
}
