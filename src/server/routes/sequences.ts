import { Hono } from "hono";
import { type Sequencer, UnknownSequenceError } from "../../engine/index.ts";
import type { AppDeps, AppEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { sequenceRunView, sequenceSummary } from "../present-sequence.ts";
import { idempotencyKey, waitMs } from "../schemas.ts";
import { sequencePath, sequenceRunPath, sequenceTriggerBody, sequenceTriggerQuery } from "../sequence-schemas.ts";
import { jsonBody, parse } from "../validate.ts";

/** How many of a sequence's latest runs GET /v1/sequences/{name} shows. */
const RECENT_RUNS = 10;

/**
 * GET /v1/sequences, GET /v1/sequences/{name}, POST /v1/sequences/{name}/runs,
 * GET /v1/sequences/{name}/runs/{id}, POST /v1/sequences/{name}/runs/{id}/cancel. Triggers take the same auth, signing, idempotency keys
 * and `wait` as a sync's.
 */
export function sequenceRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const views = { runs: deps.engine.runs, progress: deps.progress, schedule: deps.sequenceScheduler };
  const sequencer = (name: string): Sequencer => {
    if (!deps.sequences) throw new UnknownSequenceError(name, []);
    deps.sequences.get(name); // 404 for an unknown sequence
    return deps.sequences;
  };

  app.get("/v1/sequences", (c) => {
    const all = deps.sequences;
    return c.json({ sequences: all ? all.names().map((name) => sequenceSummary(all, name, views)) : [] });
  });

  app.get("/v1/sequences/:name", (c) => {
    const { name } = parse(sequencePath, c.req.param(), "path");
    c.set("sequence", name);
    const sequences = sequencer(name);
    const recentRuns = sequences.runs.list(name, RECENT_RUNS).map((run) => sequenceRunView(run, views));
    return c.json({ ...sequenceSummary(sequences, name, views), recentRuns });
  });

  app.get("/v1/sequences/:name/runs/:id", (c) => {
    const { name, id } = parse(sequenceRunPath, c.req.param(), "path");
    c.set("sequence", name);
    const run = sequencer(name).runs.get(id);
    if (!run || run.sequence !== name) throw unknownRun(name, id);
    return c.json(sequenceRunView(run, views));
  });

  app.post("/v1/sequences/:name/runs/:id/cancel", (c) => {
    const { name, id } = parse(sequenceRunPath, c.req.param(), "path");
    c.set("sequence", name);
    const sequences = sequencer(name);
    const run = sequences.runs.get(id);
    if (!run || run.sequence !== name) throw unknownRun(name, id);
    if (run.status !== "running") {
      throw new ApiError(
        409,
        "run_finished",
        `sequence run ${id} has already finished (${run.status}); there is nothing to cancel`,
      );
    }
    const after = sequences.cancel(id);
    if (!after) {
      throw new ApiError(409, "run_elsewhere", `sequence run ${id} is running in another process; cancel it there`);
    }
    deps.logger.info({ sequence: name, sequenceRunId: id }, "sequence cancel requested");
    // The running member stops at its next batch boundary; the sequence then ends cancelled.
    return c.json(sequenceRunView(after, views), 202);
  });

  app.post("/v1/sequences/:name/runs", async (c) => {
    const { name } = parse(sequencePath, c.req.param(), "path");
    c.set("sequence", name);
    const sequences = sequencer(name);
    const query = parse(sequenceTriggerQuery, c.req.query(), "query");
    const viaSignature = c.get("auth") === "hmac";
    // A signed webhook's body is the sender's own payload: its options come from the (signed) query.
    const body = viaSignature ? {} : parse(sequenceTriggerBody, jsonBody(await c.req.text()), "body");
    const headerKey = c.req.header("idempotency-key");
    const key = headerKey === undefined ? undefined : parse(idempotencyKey, headerKey, "header");
    if (deps.engine.draining) {
      throw new ApiError(503, "shutting_down", "the service is shutting down; trigger again once it is back", {
        headers: { "retry-after": "30" },
      });
    }
    const result = sequences.trigger(name, {
      trigger: viaSignature ? "webhook" : "api",
      idempotencyKey: key,
      once: viaSignature ? c.get("signature") : undefined,
    });
    if (!("run" in result)) {
      throw new ApiError(
        409,
        "signature_replayed",
        `this signed request was already accepted (${result.reused}); a signature is good for one request: sign each trigger when sending it`,
      );
    }
    const { run, replayed } = result;
    deps.logger.info({ sequence: name, sequenceRunId: run.id, replayed }, "sequence triggered");
    const wait = waitMs(body.wait ?? query.wait);
    const current = wait > 0 && run.status === "running" ? await sequences.wait(run.id, wait) : run;
    const location = `/v1/sequences/${name}/runs/${run.id}`;
    c.header("location", location);
    const done = wait > 0 && current.status !== "running";
    return c.json({ ...sequenceRunView(current, views), replayed }, done ? 200 : 202);
  });

  return app;
}

function unknownRun(sequence: string, id: string): ApiError {
  return new ApiError(404, "unknown_sequence_run", `sequence "${sequence}" has no run with id ${id}`);
}
