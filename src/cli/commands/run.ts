import { onStopSignals } from "../../host/stop-signals.ts";
import { formatRun } from "../format.ts";
import type { CliOptions } from "../main.ts";
import { showProgress } from "../progress.ts";
import { openForCommand } from "./open.ts";

export async function runRun(sync: string, options: CliOptions): Promise<number> {
  const app = await openForCommand(options);
  const stopProgress = options.json ? () => {} : showProgress(app.engine);
  // SIGTERM or Ctrl-C: the batches in flight finish and commit (within server.shutdownGraceMs,
  // as for the service) and the run ends interrupted; a second signal exits at once.
  const release = onStopSignals(() => {
    process.stderr.write("\nstopping at the next batch boundary (Ctrl-C again to force)…\n");
    void app.engine.close(app.config.server.shutdownGraceMs);
  });
  try {
    const run = await app.engine.runNow(sync, { fullResync: options.fullResync, forceDeletes: options.forceDeletes });
    stopProgress();
    process.stdout.write(options.json ? `${JSON.stringify(run, null, 2)}\n` : `${formatRun(run)}\n`);
    return run.status === "succeeded" ? 0 : run.status === "partial" ? 3 : 1;
  } finally {
    release();
    await app.close();
  }
}
