import { DEFAULTS } from "../config/defaults.ts";
import { type Engine, type EngineEvents, type Gc, memoryReducingGc } from "../engine/index.ts";

/**
 * Once the service is at rest (no run active for DEFAULTS.server.compactAtRestMs, and after
 * start-up), one memory-reducing full GC: V8 keeps the young generation at the size the last
 * busy moment grew it to (start-up alone grows it to its maximum) and never shrinks it while
 * nothing allocates, so an idle sidecar would hold it for good. The pause is paid while idle;
 * the next run grows the young generation again within a few collections. Runs are counted
 * from their start events: create it before the first run is triggered.
 */
export function compactAtRest(
  engine: Engine,
  {
    delayMs = DEFAULTS.server.compactAtRestMs,
    gc = memoryReducingGc(),
  }: { delayMs?: number; gc?: Gc | undefined } = {},
): { close(): void } {
  if (!gc) return { close() {} };
  const running = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running.size === 0 && !engine.draining) gc({ type: "major", execution: "sync", flavor: "last-resort" });
    }, delayMs);
    timer.unref();
  };
  const onStarted = (run: EngineEvents["run:started"][0]) => {
    running.add(run.id);
    clearTimeout(timer);
  };
  const onFinished = (run: EngineEvents["run:finished"][0]) => {
    running.delete(run.id);
    if (running.size === 0) schedule();
  };
  engine.on("run:started", onStarted);
  engine.on("run:finished", onFinished);
  schedule();
  return {
    close() {
      clearTimeout(timer);
      engine.off("run:started", onStarted);
      engine.off("run:finished", onFinished);
    },
  };
}
