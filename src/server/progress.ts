import type { Engine, EngineEvents, RunCounts, Wait } from "../engine/index.ts";

/** What the engine reported last about a run in progress. */
export interface Live {
  counts?: RunCounts | undefined;
  /** The last long wait it began (over once `until` has passed). */
  waiting?: Wait | undefined;
}

/**
 * The counts and waits of runs in progress, as the engine reports them (the state file only
 * gets a heartbeat every few seconds), so GET /v1/runs/{id} shows a running run live: its
 * counts, and what it is waiting for (a rate limit, a quota, a retry) and until when.
 */
export class LiveProgress {
  private readonly runs = new Map<string, Live>();
  private readonly engine: Engine;
  private readonly onProgress = (event: EngineEvents["progress"][0]) => {
    this.live(event.runId).counts = event.counts;
  };
  private readonly onWait = (event: EngineEvents["wait"][0]) => {
    const { runId: _runId, sync: _sync, ...wait } = event;
    this.live(event.runId).waiting = wait;
  };
  private readonly onFinished = (run: { id: string }) => {
    this.runs.delete(run.id);
  };

  constructor(engine: Engine) {
    this.engine = engine;
    engine.on("progress", this.onProgress);
    engine.on("wait", this.onWait);
    engine.on("run:finished", this.onFinished);
  }

  get(runId: string): Live | undefined {
    return this.runs.get(runId);
  }

  close(): void {
    this.engine.off("progress", this.onProgress);
    this.engine.off("wait", this.onWait);
    this.engine.off("run:finished", this.onFinished);
  }

  private live(runId: string): Live {
    const live = this.runs.get(runId) ?? {};
    this.runs.set(runId, live);
    return live;
  }
}
