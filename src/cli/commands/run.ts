import { formatRun } from "../format.ts";
import type { CliOptions } from "../main.ts";
import { showProgress } from "../progress.ts";
import { openForCommand } from "./open.ts";

export async function runRun(sync: string, options: CliOptions): Promise<number> {
  const app = await openForCommand(options, "warn", { alerting: true });
  const stopProgress = options.json ? () => {} : showProgress(app.engine);
  const controller = new AbortController();
  const onSignal = () => {
    process.stderr.write("\nstopping at the next batch boundary (Ctrl-C again to force)…\n");
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    controller.abort();
    void app.engine.close(10_000);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const run = await app.engine.runNow(sync, { fullResync: options.fullResync, forceDeletes: options.forceDeletes });
    stopProgress();
    process.stdout.write(options.json ? `${JSON.stringify(run, null, 2)}\n` : `${formatRun(run)}\n`);
    return run.status === "succeeded" ? 0 : run.status === "partial" ? 3 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await app.close();
  }
}
