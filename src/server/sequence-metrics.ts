import { Counter, Gauge, type Registry } from "prom-client";
import type { Sequencer } from "../engine/index.ts";
import { SEQUENCE_STATUSES, type SequenceRunRecord } from "../state/sequence-run-store.ts";

/**
 * Sequence runs, like the syncs' run metrics: finished by status, started by trigger, and
 * in progress. Returns the function that detaches them from the sequencer.
 */
export function sequenceMetrics(registry: Registry, sequencer: Sequencer): () => void {
  const registers = [registry];
  const finished = new Counter({
    name: "syncline_sequence_runs_total",
    help: "Sequence runs finished, by sequence and final status",
    labelNames: ["sequence", "status"] as const,
    registers,
  });
  const started = new Counter({
    name: "syncline_sequence_runs_started_total",
    help: "Sequence runs started, by sequence and trigger (api, webhook, schedule, cli)",
    labelNames: ["sequence", "trigger"] as const,
    registers,
  });
  const active = new Gauge({
    name: "syncline_sequence_runs_active",
    help: "Sequence runs in progress",
    labelNames: ["sequence"] as const,
    registers,
  });
  for (const sequence of sequencer.names()) {
    for (const status of SEQUENCE_STATUSES) if (status !== "running") finished.inc({ sequence, status }, 0);
    active.set({ sequence }, 0);
  }
  const onStarted = (run: SequenceRunRecord) => {
    started.inc({ sequence: run.sequence, trigger: run.trigger });
    active.inc({ sequence: run.sequence });
  };
  const onFinished = (run: SequenceRunRecord) => {
    active.dec({ sequence: run.sequence });
    finished.inc({ sequence: run.sequence, status: run.status });
  };
  sequencer.on("sequence:started", onStarted);
  sequencer.on("sequence:finished", onFinished);
  return () => {
    sequencer.off("sequence:started", onStarted);
    sequencer.off("sequence:finished", onFinished);
  };
}
