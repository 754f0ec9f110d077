import type { RunCounts } from "../engine/counts.ts";
import type { Engine } from "../engine/engine.ts";

/**
 * The counts of runs in progress, as the engine reports them (the state file only gets a
 * heartbeat every few seconds), so GET /v1/runs/{id} shows a running run's counts live.
 */
export class LiveProgress {
  private readonly counts = new Map<string, RunCounts>();
  private readonly engine: Engine;
  private readonly onProgress = (event: { runId: string; counts: RunCounts }) => {
    this.counts.set(event.runId, event.counts);
  };
  private readonly onFinished = (run: { id: string }) => {
    this.counts.delete(run.id);
  };

  constructor(engine: Engine) {
    this.engine = engine;
    engine.on("progress", this.onProgress);
    engine.on("run:finished", this.onFinished);
  }

  get(runId: string): RunCounts | undefined {
    return this.counts.get(runId);
  }

  close(): void {
    this.engine.off("progress", this.onProgress);
    this.engine.off("run:finished", this.onFinished);
  }
}
