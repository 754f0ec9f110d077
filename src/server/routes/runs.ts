import { Hono } from "hono";
import { FINISHED, type RunRecord, sameOptions } from "../../state/run-store.ts";
import type { AppDeps, AppEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { runView } from "../present.ts";
import { idempotencyKey, runPath, syncPath, triggerBody, triggerQuery, waitMs } from "../schemas.ts";
import { jsonBody, parse } from "../validate.ts";

/** POST /v1/syncs/{sync}/runs, GET /v1/runs/{id}, POST /v1/runs/{id}/cancel. */
export function runRoutes(deps: AppDeps): Hono<AppEnv> {
  const { engine, logger } = deps;
  const app = new Hono<AppEnv>();
  const view = (run: RunRecord) => runView(run, deps.progress?.get(run.id));

  app.post("/v1/syncs/:sync/runs", async (c) => {
    const { sync } = parse(syncPath, c.req.param(), "path");
    c.set("sync", sync);
    const query = parse(triggerQuery, c.req.query(), "query");
    const viaSignature = c.get("auth") === "hmac";
    // A signed webhook's body is the sender's own payload: its options come from the (signed) query.
    const body = viaSignature ? {} : parse(triggerBody, jsonBody(await c.req.text()), "body");
    const headerKey = c.req.header("idempotency-key");
    const key = headerKey === undefined ? undefined : parse(idempotencyKey, headerKey, "header");
    const options = {
      fullResync: body.fullResync ?? query.fullResync ?? false,
      forceDeletes: body.forceDeletes ?? query.forceDeletes ?? false,
    };
    if (engine.draining) {
      throw new ApiError(503, "shutting_down", "the service is shutting down; trigger again once it is back", {
        headers: { "retry-after": "30" },
      });
    }
    const { run, coalesced, replayed, reused } = engine.trigger(sync, {
      trigger: viaSignature ? "webhook" : "api",
      options,
      idempotencyKey: key,
      once: viaSignature ? c.get("signature") : undefined,
    });
    if (reused) {
      throw new ApiError(
        409,
        "signature_replayed",
        `this signed request was already accepted as run ${run.id}; a signature is good for one request: sign each trigger when sending it`,
        { headers: { location: `/v1/runs/${run.id}` } },
      );
    }
    if (replayed && !sameOptions(run.options, options)) {
      throw new ApiError(
        409,
        "idempotency_key_reused",
        `Idempotency-Key "${key}" was used for run ${run.id} with other options; use a new key for a different request`,
        { field: "header.Idempotency-Key" },
      );
    }
    c.set("runId", run.id);
    logger.info(
      { sync, runId: run.id, coalesced, replayed, options },
      coalesced ? "trigger joined a run" : "run triggered",
    );
    const wait = waitMs(body.wait ?? query.wait);
    const current = wait > 0 && !FINISHED.includes(run.status) ? await engine.wait(run.id, wait) : run;
    c.header("location", `/v1/runs/${run.id}`);
    const done = wait > 0 && FINISHED.includes(current.status);
    return c.json({ ...view(current), coalesced, replayed }, done ? 200 : 202);
  });

  app.get("/v1/runs/:id", (c) => {
    const { id } = parse(runPath, c.req.param(), "path");
    const run = engine.runs.get(id);
    if (!run) throw unknownRun(id);
    c.set("runId", id);
    c.set("sync", run.sync);
    return c.json(view(run));
  });

  app.post("/v1/runs/:id/cancel", (c) => {
    const { id } = parse(runPath, c.req.param(), "path");
    const run = engine.runs.get(id);
    if (!run) throw unknownRun(id);
    c.set("runId", id);
    c.set("sync", run.sync);
    if (FINISHED.includes(run.status)) {
      throw new ApiError(
        409,
        "run_finished",
        `run ${id} has already finished (${run.status}); there is nothing to cancel`,
      );
    }
    const after = engine.cancel(id) ?? run;
    logger.info({ sync: run.sync, runId: id, status: after.status }, "cancel requested");
    // A queued run is cancelled at once; a running one stops at its next batch boundary.
    return c.json(view(after), after.status === "cancelled" ? 200 : 202);
  });

  return app;
}

function unknownRun(id: string): ApiError {
  return new ApiError(404, "unknown_run", `no run with id ${id}`);
}
