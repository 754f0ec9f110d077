import { afterEach, describe, expect, it } from "vitest";
import { sign } from "../../src/server/auth.ts";
import { errorSchema, runSchema, triggerResponse } from "../../src/server/schemas.ts";
import { AppHarness, body, deferred, HMAC_SECRET, until } from "../server/support.ts";

/**
 * Triggers are accepted only when they will be acted on as asked: a signed trigger counts for
 * its own request only and only once; an idempotency key names one run; a trigger whose
 * options differ from the queued run's is not silently folded into it.
 */
let t: AppHarness;
afterEach(async () => t?.close());

const getRun = async (id: string) => body(await t.request(`/v1/runs/${id}`), runSchema);

/** Starts a run whose first destination call waits for `release`; returns once it is sending. */
async function holdARun(): Promise<{ id: string; release: () => void }> {
  const gate = deferred();
  t.h.destination.afterCall = () => gate.promise;
  const running = await body(await t.post("/v1/syncs/people/runs"), triggerResponse);
  await until(
    () => t.h.destination.calls,
    (calls) => calls > 0,
  );
  return { id: running.id, release: gate.resolve };
}

describe("signed triggers are bound to their request and used once", () => {
  const payload = JSON.stringify({ eventType: "job.run.completed", jobId: 7 });
  const signedPost = (target: string, signature: string) =>
    t.request(target, { method: "POST", body: payload, headers: { "x-syncline-signature": signature }, token: null });

  it("refuses a captured signature replayed to another route or with other query options", async () => {
    t = await new AppHarness({ mode: "mirror" }).setup();
    // A sender signs a trigger for another sync's route; an attacker captures the header.
    const captured = sign(HMAC_SECRET, { method: "POST", target: "/v1/syncs/other/runs", body: payload });
    const moved = await signedPost("/v1/syncs/people/runs?forceDeletes=true", captured);
    expect(moved.status).toBe(401);
    expect((await body(moved, errorSchema)).error.code).toBe("invalid_signature");
    // The same sync's route, but with an option the sender did not sign.
    const own = sign(HMAC_SECRET, { method: "POST", target: "/v1/syncs/people/runs", body: payload });
    const widened = await signedPost("/v1/syncs/people/runs?forceDeletes=true", own);
    expect(widened.status).toBe(401);
    expect(t.h.engine.runs.last("people")).toBeUndefined();
    // The request as signed is accepted.
    const exact = await signedPost("/v1/syncs/people/runs", own);
    expect(exact.status).toBe(202);
    expect((await body(exact, triggerResponse)).options.forceDeletes).toBe(false);
  });

  it("refuses a signature already used, within its window and across a restart", async () => {
    t = await new AppHarness().setup();
    const target = "/v1/syncs/people/runs?fullResync=true";
    const signature = sign(HMAC_SECRET, { method: "POST", target, body: payload });
    const first = await signedPost(target, signature);
    expect(first.status).toBe(202);
    const run = await body(first, triggerResponse);
    const replay = await signedPost(target, signature);
    expect(replay.status).toBe(409);
    const error = await body(replay, errorSchema);
    expect(error.error.code).toBe("signature_replayed");
    expect(error.error.message).toContain(run.id);
    await t.restart();
    const afterRestart = await signedPost(target, signature);
    expect(afterRestart.status).toBe(409);
    expect(t.h.engine.runs.list("people", { limit: 10 }).map((r) => r.id)).toEqual([run.id]);
  });
});

describe("idempotency keys and coalescing", () => {
  it("remembers a key that joined a queued run: retried after that run starts, it returns the same run", async () => {
    t = await new AppHarness().setup();
    const running = await holdARun();
    const queued = await body(await t.post("/v1/syncs/people/runs"), triggerResponse);
    expect(queued.status).toBe("queued");
    const joined = await body(
      await t.post("/v1/syncs/people/runs", {}, { "idempotency-key": "airflow-run-1" }),
      triggerResponse,
    );
    expect(joined).toMatchObject({ id: queued.id, coalesced: true });
    running.release();
    await until(
      () => getRun(running.id),
      (r) => r.status === "succeeded",
    );
    await until(
      () => getRun(queued.id),
      (r) => r.status !== "queued",
    );
    // The scheduler retries its trigger (it lost the first answer): the same run, no new one.
    const retried = await body(
      await t.post("/v1/syncs/people/runs", {}, { "idempotency-key": "airflow-run-1" }),
      triggerResponse,
    );
    expect(retried).toMatchObject({ id: queued.id, replayed: true });
    await until(
      () => getRun(queued.id),
      (r) => r.status === "succeeded",
    );
    expect(t.h.engine.runs.list("people", { limit: 10 })).toHaveLength(2);
  });

  it("gives a trigger with other options than the queued run its own run after it, never drops them", async () => {
    t = await new AppHarness({ rows: 10 }).setup();
    const running = await holdARun();
    const plain = await body(await t.post("/v1/syncs/people/runs"), triggerResponse);
    const full = await body(await t.post("/v1/syncs/people/runs", { fullResync: true }), triggerResponse);
    expect(full.options.fullResync).toBe(true);
    expect(full.id).not.toBe(plain.id);
    expect(full.coalesced).toBe(false);
    // Later triggers join the queued run with their own options.
    const plainAgain = await body(await t.post("/v1/syncs/people/runs"), triggerResponse);
    const fullAgain = await body(await t.post("/v1/syncs/people/runs?fullResync=true"), triggerResponse);
    expect([plainAgain.id, plainAgain.coalesced]).toEqual([plain.id, true]);
    expect([fullAgain.id, fullAgain.coalesced]).toEqual([full.id, true]);
    running.release();
    const done = await until(
      () => getRun(full.id),
      (r) => r.status === "succeeded",
    );
    // The full resync really ran: every record was sent again, after the plain queued run.
    expect(done.options.fullResync).toBe(true);
    expect(done.counts?.planned.changed).toBe(10);
    const plainDone = await getRun(plain.id);
    expect(plainDone.status).toBe("succeeded");
    expect(Date.parse(done.startedAt!)).toBeGreaterThanOrEqual(Date.parse(plainDone.finishedAt!));
    expect((await getRun(running.id)).status).toBe("succeeded");
  });
});
