import { afterEach, describe, expect, it } from "vitest";
import { AppHarness, body, deferred, until } from "../../../test/server/support.ts";
import { QueueFullError } from "../../engine/index.ts";
import { errorSchema, runPage, runSchema, triggerResponse } from "../schemas.ts";

let t: AppHarness;
async function start(options: ConstructorParameters<typeof AppHarness>[0] = {}) {
  t = await new AppHarness(options).setup();
  return t;
}
afterEach(async () => t?.close());

const getRun = async (id: string) => body(await t.request(`/v1/runs/${id}`), runSchema);

describe("POST /v1/syncs/{sync}/runs", () => {
  it("starts a run and answers 202 with the run, its links and a Location", async () => {
    await start();
    const response = await t.post("/v1/syncs/people/runs");
    expect(response.status).toBe(202);
    expect(response.headers.get("location")).toMatch(/^\/v1\/runs\/run_[a-z0-9]+$/);
    const run = await body(response, triggerResponse);
    expect(run).toMatchObject({ sync: "people", trigger: "api", coalesced: false, replayed: false });
    expect(["queued", "running"]).toContain(run.status);
    expect(run.links.self).toBe(`/v1/runs/${run.id}`);
    const done = await until(
      () => getRun(run.id),
      (r) => r.status === "succeeded",
    );
    expect(done.counts?.planned).toEqual({ added: 10, changed: 0, removed: 0 });
    expect(done.counts?.succeeded).toEqual({ added: 10, changed: 0, removed: 0 });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    expect(t.h.destination.records.size).toBe(10);
  });

  it("holds the response with wait until the run ends and answers 200 with the outcome", async () => {
    await start();
    const viaQuery = await t.post("/v1/syncs/people/runs?wait=true");
    expect(viaQuery.status).toBe(200);
    expect((await body(viaQuery, triggerResponse)).status).toBe("succeeded");
    await t.h.sql("UPDATE people SET name = 'x' WHERE id = 1");
    const viaBody = await t.post("/v1/syncs/people/runs", { wait: 30 });
    const run = await body(viaBody, triggerResponse);
    expect(viaBody.status).toBe(200);
    expect(run.counts?.succeeded).toEqual({ added: 0, changed: 1, removed: 0 });
  });

  it("answers 202 with the run still running when the wait runs out", async () => {
    await start();
    const gate = deferred();
    t.h.destination.afterCall = () => gate.promise;
    const started = Date.now();
    const response = await t.post("/v1/syncs/people/runs?wait=1");
    expect(response.status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const run = await body(response, triggerResponse);
    expect(run.status).toBe("running");
    gate.resolve();
    await until(
      () => getRun(run.id),
      (r) => r.status === "succeeded",
    );
  });

  it("sends everything again with fullResync", async () => {
    await start();
    await t.post("/v1/syncs/people/runs?wait=true");
    const response = await t.post("/v1/syncs/people/runs?fullResync=true&wait=true");
    const run = await body(response, triggerResponse);
    expect(run.options.fullResync).toBe(true);
    expect(run.counts?.planned).toEqual({ added: 0, changed: 10, removed: 0 });
    expect(t.h.destination.writes).toHaveLength(20);
  });

  it("returns the same run for a retried trigger with the same Idempotency-Key", async () => {
    await start();
    const first = await body(
      await t.post("/v1/syncs/people/runs", {}, { "idempotency-key": "dag-run-7" }),
      triggerResponse,
    );
    await until(
      () => getRun(first.id),
      (r) => r.status === "succeeded",
    );
    const again = await t.post("/v1/syncs/people/runs", {}, { "idempotency-key": "dag-run-7" });
    expect(again.status).toBe(202);
    const second = await body(again, triggerResponse);
    expect(second.id).toBe(first.id);
    expect(second.replayed).toBe(true);
    expect(second.status).toBe("succeeded");
    const history = await body(await t.request("/v1/syncs/people/runs"), runPage);
    expect(history.runs.map((r) => r.id)).toEqual([first.id]);
  });

  it("answers 409 when an Idempotency-Key comes back with other options", async () => {
    await start();
    await t.post("/v1/syncs/people/runs", {}, { "idempotency-key": "k1" });
    const conflict = await t.post("/v1/syncs/people/runs", { fullResync: true }, { "idempotency-key": "k1" });
    expect(conflict.status).toBe(409);
    const error = await body(conflict, errorSchema);
    expect(error.error.code).toBe("idempotency_key_reused");
    expect(error.error.field).toBe("header.Idempotency-Key");
  });

  it("queues one run behind a running one; later triggers join it; runs never overlap", async () => {
    await start();
    let active = 0;
    let most = 0;
    t.h.engine.on("run:started", () => {
      active++;
      most = Math.max(most, active);
    });
    t.h.engine.on("run:finished", () => active--);
    const gate = deferred();
    t.h.destination.afterCall = () => gate.promise;
    const first = await body(await t.post("/v1/syncs/people/runs"), triggerResponse);
    await until(
      () => t.h.destination.calls,
      (calls) => calls > 0,
    );
    const more = await Promise.all(
      Array.from({ length: 5 }, async () => body(await t.post("/v1/syncs/people/runs"), triggerResponse)),
    );
    const queuedId = more[0]!.id;
    expect(queuedId).not.toBe(first.id);
    for (const run of more) {
      expect(run.id).toBe(queuedId);
      expect(run.status).toBe("queued");
    }
    expect(more.filter((run) => run.coalesced)).toHaveLength(4);
    gate.resolve();
    const queued = await until(
      () => getRun(queuedId),
      (r) => r.status === "succeeded",
    );
    expect(queued.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(most).toBe(1);
    expect((await body(await t.request("/v1/syncs/people/runs"), runPage)).runs).toHaveLength(2);
  });

  it("answers 429 with Retry-After when the engine's queue is full", async () => {
    await start();
    t.h.engine.trigger = () => {
      throw new QueueFullError(100);
    };
    const response = await t.post("/v1/syncs/people/runs");
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("30");
    expect((await body(response, errorSchema)).error.code).toBe("queue_full");
  });

  it("answers 503 once the service is draining", async () => {
    await start();
    await t.h.engine.close(100);
    const response = await t.post("/v1/syncs/people/runs");
    expect(response.status).toBe(503);
    expect((await body(response, errorSchema)).error.code).toBe("shutting_down");
    expect(response.headers.get("retry-after")).toBeTruthy();
  });

  it.each([
    ["an unknown field", "/v1/syncs/people/runs", '{"fullresync":true}', "body.fullresync", /unknown field/],
    ["a wrong type", "/v1/syncs/people/runs", '{"fullResync":"yes"}', "body.fullResync", /boolean/],
    ["a bad wait", "/v1/syncs/people/runs?wait=soon", "", "query.wait", /seconds/],
    ["a bad flag", "/v1/syncs/people/runs?fullResync=maybe", "", "query.fullResync", /true/],
    ["an unknown query parameter", "/v1/syncs/people/runs?force=1", "", "query.force", /unknown field/],
    ["a hostile sync name", "/v1/syncs/..%2F..%2Fetc/runs", "", "path.sync", /letters/],
    ["a body that is not JSON", "/v1/syncs/people/runs", "fullResync=true", "body", /JSON/],
  ])("answers 400 naming the field for %s", async (_name, path, text, field, message) => {
    await start();
    const response = await t.request(path, { method: "POST", body: text || undefined });
    expect(response.status).toBe(400);
    const error = await body(response, errorSchema);
    expect(error.error.field).toBe(field);
    expect(error.error.message).toMatch(message);
    expect(error.error.message.startsWith(field)).toBe(true);
  });

  it("answers 400 for a malformed Idempotency-Key and 404 for an unknown sync", async () => {
    await start();
    const badKey = await t.post("/v1/syncs/people/runs", {}, { "idempotency-key": "has space" });
    expect(badKey.status).toBe(400);
    expect((await body(badKey, errorSchema)).error.field).toBe("header");
    const unknown = await t.post("/v1/syncs/nope/runs");
    expect(unknown.status).toBe(404);
    expect((await body(unknown, errorSchema)).error).toMatchObject({ code: "unknown_sync" });
  });

  it("answers 413 for a body over the limit", async () => {
    await start({ bodyLimitBytes: 64 });
    const response = await t.post("/v1/syncs/people/runs", { fullResync: true, padding: "x".repeat(200) });
    expect(response.status).toBe(413);
    expect((await body(response, errorSchema)).error.code).toBe("body_too_large");
    expect(t.h.engine.runs.last("people")).toBeUndefined();
  });
});

describe("GET /v1/runs/{id}", () => {
  it("shows a running run's live counts, then its final counts and timings", async () => {
    await start({ maxRecords: 2 });
    const gate = deferred();
    t.h.destination.afterCall = (call) => (call >= 2 ? gate.promise : undefined);
    const { id } = await body(await t.post("/v1/syncs/people/runs"), triggerResponse);
    const running = await until(
      () => getRun(id),
      (r) => (r.counts?.succeeded.added ?? 0) >= 2,
    );
    expect(running.status).toBe("running");
    expect(running.counts?.planned.added).toBe(10);
    expect(running.finishedAt).toBeNull();
    gate.resolve();
    const done = await until(
      () => getRun(id),
      (r) => r.status === "succeeded",
    );
    expect(done.counts?.succeeded.added).toBe(10);
    expect(Date.parse(done.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!));
  });

  it("answers 404 for an unknown run and 400 for a malformed id", async () => {
    await start();
    const unknown = await t.request("/v1/runs/run_zzzz");
    expect(unknown.status).toBe(404);
    expect((await body(unknown, errorSchema)).error.code).toBe("unknown_run");
    const malformed = await t.request("/v1/runs/DROP%20TABLE");
    expect(malformed.status).toBe(400);
    expect((await body(malformed, errorSchema)).error.field).toBe("path.id");
  });
});

describe("POST /v1/runs/{id}/cancel", () => {
  it("stops a running run at a batch boundary, commits what was delivered; the next run sends the rest", async () => {
    await start({ maxRecords: 2, rows: 20 });
    const gate = deferred();
    t.h.destination.afterCall = (call) => (call >= 2 ? gate.promise : undefined);
    const { id } = await body(await t.post("/v1/syncs/people/runs"), triggerResponse);
    await until(
      () => t.h.destination.calls,
      (calls) => calls >= 2,
    );
    const response = await t.post(`/v1/runs/${id}/cancel`);
    expect(response.status).toBe(202);
    gate.resolve();
    const cancelled = await until(
      () => getRun(id),
      (r) => r.status === "cancelled",
    );
    const delivered = cancelled.counts!.succeeded.added;
    expect(delivered).toBeGreaterThanOrEqual(4);
    expect(delivered).toBeLessThan(20);
    const next = await body(await t.post("/v1/syncs/people/runs?wait=true"), triggerResponse);
    expect(next.counts?.planned.added).toBe(20 - delivered);
    expect(t.h.destination.records.size).toBe(20);
  });

  it("cancels a queued run at once (200) and refuses a finished one (409)", async () => {
    await start();
    const gate = deferred();
    t.h.destination.afterCall = () => gate.promise;
    const running = await body(await t.post("/v1/syncs/people/runs"), triggerResponse);
    const queued = await body(await t.post("/v1/syncs/people/runs"), triggerResponse);
    expect(queued.status).toBe("queued");
    const cancel = await t.post(`/v1/runs/${queued.id}/cancel`);
    expect(cancel.status).toBe(200);
    expect((await body(cancel, runSchema)).status).toBe("cancelled");
    gate.resolve();
    await until(
      () => getRun(running.id),
      (r) => r.status === "succeeded",
    );
    const again = await t.post(`/v1/runs/${running.id}/cancel`);
    expect(again.status).toBe(409);
    expect((await body(again, errorSchema)).error.code).toBe("run_finished");
    expect((await t.post("/v1/runs/run_unknown1/cancel")).status).toBe(404);
  });
});
