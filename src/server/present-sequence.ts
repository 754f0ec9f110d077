import type { Sequencer } from "../engine/index.ts";
import type { RunStore } from "../state/run-store.ts";
import type { SequenceRunRecord } from "../state/sequence-run-store.ts";
import type { Schedule } from "./deps.ts";
import { iso, runView } from "./present.ts";
import type { LiveProgress } from "./progress.ts";
import type { SequenceRunView, SequenceSummary } from "./sequence-schemas.ts";

interface Views {
  runs: RunStore;
  progress?: LiveProgress | undefined;
}

/** A sequence run as the API shows it: each member with its run (live counts while it runs). */
export function sequenceRunView(run: SequenceRunRecord, views: Views, now = Date.now()): SequenceRunView {
  const end = run.finishedAt ?? now;
  return {
    id: run.id,
    sequence: run.sequence,
    status: run.status,
    trigger: run.trigger,
    onFailure: run.onFailure,
    createdAt: iso(run.createdAt),
    finishedAt: run.finishedAt === null ? null : iso(run.finishedAt),
    durationMs: end - run.createdAt,
    members: run.members.map((member) => {
      const memberRun = member.runId ? views.runs.get(member.runId) : undefined;
      const status = memberRun?.status ?? (run.status === "running" ? "pending" : "skipped");
      return {
        sync: member.sync,
        status,
        run: memberRun ? runView(memberRun, views.progress?.get(memberRun.id)) : null,
      };
    }),
    error: run.error,
    links: { self: `/v1/sequences/${run.sequence}/runs/${run.id}`, sequence: `/v1/sequences/${run.sequence}` },
  };
}

export function sequenceSummary(
  sequencer: Sequencer,
  name: string,
  views: Views & { schedule?: Schedule | undefined },
): SequenceSummary {
  const spec = sequencer.get(name);
  const last = sequencer.runs.list(name, 1)[0];
  const next = spec.schedule ? (views.schedule?.nextRun(name) ?? null) : null;
  return {
    name,
    syncs: [...spec.syncs],
    onFailure: spec.onFailure,
    schedule: spec.schedule ?? null,
    nextRunAt: next ? iso(next.getTime()) : null,
    lastRun: last ? sequenceRunView(last, views) : null,
    links: { self: `/v1/sequences/${name}` },
  };
}
