import { onStopSignals } from "../../host/stop-signals.ts";
import { sequenceRunView } from "../../server/present-sequence.ts";
import { formatSequenceRun } from "../format-sequence.ts";
import type { CliOptions } from "../options.ts";
import { showProgress } from "../progress.ts";
import { withSyncline } from "./open.ts";

/**
 * `syncline run --sequence <name>`: runs the sequence's syncs in order and exits as `run`
 * does — 0 succeeded, 3 partial, 1 otherwise (failed, interrupted, cancelled, or already
 * running in another process); `--json` prints the sequence run as the API does.
 */
export function runSequence(name: string, options: CliOptions): Promise<number> {
  return withSyncline(
    options,
    "start the sequence",
    async (app) => {
      const stopProgress = options.json ? () => {} : showProgress(app.engine);
      // As for `run`: a stop signal lets batches in flight commit; the sequence ends interrupted.
      const release = onStopSignals(() => {
        process.stderr.write("\nstopping at the next batch boundary (Ctrl-C again to force)…\n");
        void app.engine.close(app.config.server.shutdownGraceMs).catch(() => {});
      });
      try {
        const run = await app.sequences.runNow(name);
        stopProgress();
        const view = sequenceRunView(run, { runs: app.engine.runs });
        process.stdout.write(options.json ? `${JSON.stringify(view, null, 2)}\n` : `${formatSequenceRun(view)}\n`);
        return run.status === "succeeded" ? 0 : run.status === "partial" ? 3 : 1;
      } finally {
        stopProgress();
        release();
      }
    },
    { alerting: true },
  );
}
