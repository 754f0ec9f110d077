import { afterEach, describe, expect, it } from "vitest";
import { SequenceApp } from "../../../test/server/sequence-app.ts";
import { body, deferred, HMAC_SECRET, until } from "../../../test/server/support.ts";
import { SequenceHarness } from "../../../test/support/sequence-harness.ts";
import { sign } from "../auth.ts";
import { openApiDocument } from "../openapi.ts";
import { errorSchema } from "../schemas.ts";
import { sequenceDetail, sequenceList, sequenceRunSchema, sequenceTriggerResponse } from "../sequence-schemas.ts";

let t: SequenceHarness;
let api: SequenceApp;
afterEach(async () => {
  api?.metrics.close();
  await t?.close();
});

async function start(syncs: Record<string, { sql?: string }> = { a: {}, b: {}, c: {} }) {
  t = await new SequenceHarness(syncs, {
    nightly: { syncs: ["a", "b", "c"] },
    lenient: { syncs: ["b", "a"], onFailure: "continue", schedule: "0 3 * * *" },
  }).setup();
  api = new SequenceApp(t);
}

describe("/v1/sequences", () => {
  it("lists the sequences with their syncs, failure policy and schedule", async () => {
    await start();
    const list = await body(await api.request("/v1/sequences"), sequenceList);
    expect(list.sequences.map((s) => [s.name, s.syncs, s.onFailure, s.schedule])).toEqual([
      ["nightly", ["a", "b", "c"], "stop", null],
      ["lenient", ["b", "a"], "continue", "0 3 * * *"],
    ]);
    expect(list.sequences[0]!.lastRun).toBeNull();
  });

  it("runs a sequence with wait: 200 with each member's run, status and counts", async () => {
    await start();
    const response = await api.post("/v1/sequences/nightly/runs?wait=true");
    expect(response.status).toBe(200);
    const run = await body(response, sequenceTriggerResponse);
    expect(response.headers.get("location")).toBe(`/v1/sequences/nightly/runs/${run.id}`);
    expect(run).toMatchObject({ sequence: "nightly", status: "succeeded", trigger: "api", replayed: false });
    expect(run.members.map((m) => [m.sync, m.status])).toEqual([
      ["a", "succeeded"],
      ["b", "succeeded"],
      ["c", "succeeded"],
    ]);
    for (const member of run.members) {
      expect(member.run?.counts?.succeeded).toEqual({ added: 5, changed: 0, removed: 0 });
      expect(member.run?.trigger).toBe("sequence");
    }
    const again = await body(await api.request(run.links.self), sequenceRunSchema);
    expect(again.members.map((m) => m.run?.id)).toEqual(run.members.map((m) => m.run?.id));
    const detail = await body(await api.request("/v1/sequences/nightly"), sequenceDetail);
    expect(detail.lastRun?.id).toBe(run.id);
    expect(detail.recentRuns.map((r) => r.id)).toEqual([run.id]);
  });

  it("shows a failed member and skipped later ones when the sequence stops", async () => {
    await start({ a: {}, b: { sql: "SELECT * FROM missing" }, c: {} });
    const run = await body(await api.post("/v1/sequences/nightly/runs", { wait: 30 }), sequenceTriggerResponse);
    expect(run.status).toBe("failed");
    expect(run.members.map((m) => m.status)).toEqual(["succeeded", "failed", "skipped"]);
    expect(run.members[2]!.run).toBeNull();
    expect(run.error?.code).toBe("member_failed");
  });

  it("answers 202 while running, and 409 with the running run to a second trigger", async () => {
    await start();
    const gate = deferred();
    t.destination("a").afterCall = () => gate.promise;
    const first = await api.post("/v1/sequences/nightly/runs");
    expect(first.status).toBe(202);
    const running = await body(first, sequenceTriggerResponse);
    expect(running.status).toBe("running");
    expect(running.members.map((m) => m.status)).toEqual([
      expect.stringMatching(/queued|running/),
      "pending",
      "pending",
    ]);
    const second = await api.post("/v1/sequences/nightly/runs?wait=true");
    expect(second.status).toBe(409);
    expect((await body(second, errorSchema)).error.code).toBe("sequence_running");
    expect(second.headers.get("location")).toBe(`/v1/sequences/nightly/runs/${running.id}`);
    gate.resolve();
    const done = await until(
      async () => body(await api.request(running.links.self), sequenceRunSchema),
      (run) => run.status !== "running",
    );
    expect(done.status).toBe("succeeded");
  });

  it("cancels a running sequence: its member stops, later members never start", async () => {
    await start();
    const gate = deferred();
    t.destination("a").afterCall = () => gate.promise;
    const running = await body(await api.post("/v1/sequences/nightly/runs"), sequenceTriggerResponse);
    await until(
      () => t.destination("a").calls,
      (calls) => calls > 0,
    );
    const cancel = await api.post(`${running.links.self}/cancel`);
    expect(cancel.status).toBe(202);
    gate.resolve();
    const done = await until(
      async () => body(await api.request(running.links.self), sequenceRunSchema),
      (run) => run.status !== "running",
    );
    expect(done.status).toBe("cancelled");
    expect(done.members.map((m) => m.status)).toEqual(["cancelled", "skipped", "skipped"]);
    expect(t.destination("b").calls).toBe(0);
    const again = await api.post(`${running.links.self}/cancel`);
    expect(again.status).toBe(409);
    expect((await body(again, errorSchema)).error.code).toBe("run_finished");
  });

  it("returns the same run for a retried trigger with the same Idempotency-Key", async () => {
    await start();
    const first = await body(
      await api.post("/v1/sequences/nightly/runs?wait=true", undefined, { "idempotency-key": "dag-1" }),
      sequenceTriggerResponse,
    );
    const retried = await api.post("/v1/sequences/nightly/runs", undefined, { "idempotency-key": "dag-1" });
    const second = await body(retried, sequenceTriggerResponse);
    expect(second.id).toBe(first.id);
    expect(second.replayed).toBe(true);
    expect(t.sequencer.runs.list("nightly", 10)).toHaveLength(1);
  });

  it("accepts a signed trigger once", async () => {
    await start();
    const target = "/v1/sequences/nightly/runs?wait=true";
    const signature = sign(HMAC_SECRET, { method: "POST", target, body: "" });
    const headers = { "x-syncline-signature": signature };
    const signed = await api.request(target, { method: "POST", headers });
    expect(signed.status).toBe(200);
    expect((await body(signed, sequenceTriggerResponse)).trigger).toBe("webhook");
    const replay = await api.request(target, { method: "POST", headers });
    expect(replay.status).toBe(409);
    expect((await body(replay, errorSchema)).error.code).toBe("signature_replayed");
  });

  it("answers 404 for an unknown sequence or run, 400 for a bad id or option", async () => {
    await start();
    for (const [path, method] of [
      ["/v1/sequences/nighly", "GET"],
      ["/v1/sequences/nighly/runs", "POST"],
      ["/v1/sequences/nightly/runs/seq_abc123", "GET"],
    ] as const) {
      const response = await api.request(path, { method });
      expect(response.status, path).toBe(404);
    }
    const unknown = await body(await api.request("/v1/sequences/nighly"), errorSchema);
    expect(unknown.error).toMatchObject({ code: "unknown_sequence" });
    expect(unknown.error.message).toContain("nightly");
    expect((await api.request("/v1/sequences/nightly/runs/run_abc")).status).toBe(400);
    const bad = await api.post("/v1/sequences/nightly/runs", { fullResync: true });
    expect(bad.status).toBe(400);
    expect((await body(bad, errorSchema)).error.field).toBe("body.fullResync");
  });

  it("counts sequence runs in /metrics", async () => {
    await start();
    await api.post("/v1/sequences/nightly/runs?wait=true");
    const text = await (await api.request("/metrics")).text();
    expect(text).toContain('syncline_sequence_runs_total{sequence="nightly",status="succeeded"} 1');
    expect(text).toContain('syncline_sequence_runs_started_total{sequence="nightly",trigger="api"} 1');
    expect(text).toContain('syncline_sequence_runs_active{sequence="nightly"} 0');
  });

  it("documents the operations in /openapi.json with operationIds and 4xx answers", () => {
    const paths = openApiDocument().paths as Record<string, Record<string, { operationId: string; responses: object }>>;
    expect(paths["/v1/sequences/{name}/runs"]!.post!.operationId).toBe("triggerSequence");
    expect(Object.keys(paths["/v1/sequences/{name}/runs"]!.post!.responses)).toEqual(
      expect.arrayContaining(["400", "401", "404", "409"]),
    );
    expect(paths["/v1/sequences/{name}/runs/{id}"]!.get!.operationId).toBe("getSequenceRun");
    expect(paths["/v1/sequences"]!.get!.operationId).toBe("listSequences");
    expect(paths["/v1/sequences/{name}"]!.get!.operationId).toBe("getSequence");
  });
});
