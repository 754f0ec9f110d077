import type { Attributes } from "@opentelemetry/api";
import type { RunRecord } from "../../state/run-store.ts";
import type { RunCounts } from "../shared/counts.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { ERROR, tracer } from "../shared/tracing.ts";

/**
 * The `sync.run` span: the root of a run's trace, active while it plans and sends, so
 * `sync.read`, `sync.plan` and every `sync.batch` are its children. It ends with the run's
 * status and counts; a run that did not succeed carries its error, already masked by the run.
 */
export function traceRun(
  run: RunRecord,
  spec: SyncSpec,
  destination: string,
  execute: () => Promise<RunRecord>,
): Promise<RunRecord> {
  const traces = tracer();
  if (!traces) return execute();
  const attributes = {
    "syncline.sync": spec.name,
    "syncline.run.id": run.id,
    "syncline.run.trigger": run.trigger,
    "syncline.sync.mode": spec.mode,
    "syncline.object": spec.object,
    "syncline.destination": destination,
    "syncline.full_resync": run.options.fullResync === true,
  };
  return traces.startActiveSpan("sync.run", { root: true, attributes }, async (span) => {
    try {
      const finished = await execute();
      if (!span.isRecording()) return finished;
      span.setAttributes({ "syncline.run.status": finished.status, ...countAttributes(finished.counts) });
      if (finished.error) {
        span.setAttribute("error.type", finished.error.code);
        // Only a failed run is an error; a partial one delivered what it could and says why.
        if (finished.status === "failed") span.setStatus({ code: ERROR, message: finished.error.message });
        span.addEvent("exception", {
          "exception.type": finished.error.code,
          "exception.message": finished.error.message,
        });
      }
      return finished;
    } finally {
      span.end();
    }
  });
}

export function plannedAttributes(counts: RunCounts): Attributes {
  return {
    "syncline.rows_read": counts.rowsRead,
    "syncline.planned.added": counts.planned.added,
    "syncline.planned.changed": counts.planned.changed,
    "syncline.planned.removed": counts.planned.removed,
    "syncline.unchanged": counts.unchanged,
    "syncline.invalid": counts.invalid,
  };
}

function countAttributes(counts: RunCounts | null): Attributes {
  if (!counts) return {};
  return {
    ...plannedAttributes(counts),
    "syncline.succeeded.added": counts.succeeded.added,
    "syncline.succeeded.changed": counts.succeeded.changed,
    "syncline.succeeded.removed": counts.succeeded.removed,
    "syncline.failed.added": counts.failed.added,
    "syncline.failed.changed": counts.failed.changed,
    "syncline.failed.removed": counts.failed.removed,
  };
}
