import { afterEach, describe, expect, it } from "vitest";
import { deferred, until } from "../../../test/server/support.ts";
import { SequenceHarness, type SequenceInput } from "../../../test/support/sequence-harness.ts";
import { DEFAULTS } from "../../config/defaults.ts";
import { silentLogger } from "../../sdk/logger.ts";
import { reopenSequenceRun, setSequenceRunOwner } from "../../state/inspect/index.ts";
import { Engine } from "../run/engine.ts";
import { SequenceRunningError, UnknownSequenceError } from "./sequence-errors.ts";

let t: SequenceHarness;
afterEach(async () => t?.close());

const BAD = { sql: "SELECT * FROM no_such_table" };

async function start(syncs: Record<string, { sql?: string }>, sequences: Record<string, SequenceInput>) {
  t = await new SequenceHarness(syncs, sequences).setup();
  return t;
}

/** Every run start and end, in order: a sequence's members never overlap. */
function timeline(harness: SequenceHarness): string[] {
  const events: string[] = [];
  harness.engine.on("run:started", (run) => events.push(`start ${run.sync}`));
  harness.engine.on("run:finished", (run) => events.push(`end ${run.sync} ${run.status}`));
  return events;
}

describe("Sequencer", () => {
  it("runs the members one after another, in order, and records each member's run", async () => {
    await start({ a: {}, b: {}, c: {} }, { nightly: { syncs: ["c", "a", "b"] } });
    const events = timeline(t);
    const run = await t.sequencer.runNow("nightly", "api");
    expect(run.status).toBe("succeeded");
    expect(events).toEqual(["start c", "end c succeeded", "start a", "end a succeeded", "start b", "end b succeeded"]);
    expect(run.members.map((m) => m.sync)).toEqual(["c", "a", "b"]);
    for (const member of run.members) {
      const memberRun = t.engine.runs.get(member.runId!)!;
      expect(memberRun).toMatchObject({ sync: member.sync, status: "succeeded", trigger: "sequence" });
      expect(t.destination(member.sync).records.size).toBe(5);
    }
    expect(run.finishedAt).not.toBeNull();
  });

  it("stops at a failed member by default: later members are not run", async () => {
    await start({ a: {}, b: BAD, c: {} }, { nightly: { syncs: ["a", "b", "c"] } });
    const run = await t.sequencer.runNow("nightly");
    expect(run.status).toBe("failed");
    expect(run.error?.code).toBe("member_failed");
    expect(run.error?.message).toContain('sync "b" failed');
    expect(run.members[2]).toEqual({ sync: "c", runId: null });
    expect(t.destination("a").records.size).toBe(5);
    expect(t.destination("c").records.size).toBe(0);
    expect(t.engine.runs.last("c")).toBeUndefined();
  });

  it("with onFailure: continue runs the rest, and still ends failed", async () => {
    await start({ a: BAD, b: {} }, { nightly: { syncs: ["a", "b"], onFailure: "continue" } });
    const run = await t.sequencer.runNow("nightly");
    expect(run.status).toBe("failed");
    expect(t.engine.runs.get(run.members[1]!.runId!)?.status).toBe("succeeded");
    expect(t.destination("b").records.size).toBe(5);
  });

  it("goes on after a partial member (rejected records) and ends partial", async () => {
    await start({ a: {}, b: {} }, { nightly: { syncs: ["a", "b"] } });
    t.destination("a").decide = (record) => (record.key === "2" ? "reject" : "ok");
    const run = await t.sequencer.runNow("nightly");
    expect(t.engine.runs.get(run.members[0]!.runId!)?.status).toBe("partial");
    expect(t.engine.runs.get(run.members[1]!.runId!)?.status).toBe("succeeded");
    expect(run.status).toBe("partial");
  });

  it("refuses a second trigger while the sequence runs, naming the running run", async () => {
    await start({ a: {}, b: {} }, { nightly: { syncs: ["a", "b"] } });
    const gate = deferred();
    t.destination("a").afterCall = () => gate.promise;
    const first = t.sequencer.trigger("nightly", { trigger: "api" });
    if (!("run" in first)) throw new Error("expected a run");
    let refused: unknown;
    try {
      t.sequencer.trigger("nightly", { trigger: "schedule" });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(SequenceRunningError);
    expect((refused as SequenceRunningError).run.id).toBe(first.run.id);
    gate.resolve();
    expect((await t.sequencer.wait(first.run.id)).status).toBe("succeeded");
    const again = await t.sequencer.runNow("nightly");
    expect(again.status).toBe("succeeded");
    expect(t.sequencer.runs.list("nightly", 10)).toHaveLength(2);
  });

  it("returns the same run for a retried trigger with the same idempotency key", async () => {
    await start({ a: {} }, { nightly: { syncs: ["a"] } });
    const first = t.sequencer.trigger("nightly", { trigger: "api", idempotencyKey: "dag-7" });
    const second = t.sequencer.trigger("nightly", { trigger: "api", idempotencyKey: "dag-7" });
    if (!("run" in first) || !("run" in second)) throw new Error("expected runs");
    expect(second.run.id).toBe(first.run.id);
    expect(second.replayed).toBe(true);
    await t.sequencer.wait(first.run.id);
  });

  it("queues a member that is already running on its own behind that run, never beside it", async () => {
    await start({ a: {}, b: {} }, { nightly: { syncs: ["a", "b"] } });
    let active = 0;
    let most = 0;
    t.engine.on("run:started", (run) => {
      if (run.sync === "a") most = Math.max(most, ++active);
    });
    t.engine.on("run:finished", (run) => {
      if (run.sync === "a") active--;
    });
    const gate = deferred();
    t.destination("a").afterCall = () => gate.promise;
    const alone = t.engine.trigger("a", { trigger: "api" }).run;
    await until(
      () => t.destination("a").calls,
      (calls) => calls > 0,
    );
    const result = t.sequencer.trigger("nightly", { trigger: "api" });
    if (!("run" in result)) throw new Error("expected a run");
    const member = await until(
      () => t.sequencer.runs.get(result.run.id)!.members[0]!.runId,
      (id) => id !== null,
    );
    expect(member).not.toBe(alone.id);
    expect(t.engine.runs.get(member!)?.status).toBe("queued");
    gate.resolve();
    const run = await t.sequencer.wait(result.run.id);
    expect(run.status).toBe("succeeded");
    expect(most).toBe(1);
    expect(t.engine.runs.get(member!)!.startedAt!).toBeGreaterThanOrEqual(t.engine.runs.get(alone.id)!.finishedAt!);
  });

  it("waits for a member that another process (another engine on the state file) is running", async () => {
    await start({ a: {}, b: {} }, { nightly: { syncs: ["a", "b"] } });
    const other = new Engine({
      db: t.h.state.sqlite,
      syncs: new Map([["a", t.engine.sync("a")]]),
      logger: silentLogger,
      changelogRetentionDays: DEFAULTS.changelog.retentionDays,
    });
    const gate = deferred();
    t.destination("a").afterCall = () => gate.promise;
    const elsewhere = other.trigger("a", { trigger: "api" }).run;
    await until(
      () => t.destination("a").calls,
      (calls) => calls > 0,
    );
    const result = t.sequencer.trigger("nightly", { trigger: "api" });
    if (!("run" in result)) throw new Error("expected a run");
    await until(
      () => t.engine.runs.list("a", { limit: 10 }).filter((r) => r.error?.code === "already_running"),
      (refused) => refused.length > 0,
    );
    expect(t.sequencer.runs.get(result.run.id)!.status).toBe("running");
    t.destination("a").afterCall = () => {};
    gate.resolve();
    expect((await other.wait(elsewhere.id)).status).toBe("succeeded");
    const run = await t.sequencer.wait(result.run.id, 10_000);
    expect(run.status).toBe("succeeded");
    const member = t.engine.runs.get(run.members[0]!.runId!)!;
    expect(member.status).toBe("succeeded");
    expect(member.startedAt!).toBeGreaterThanOrEqual(t.engine.runs.get(elsewhere.id)!.finishedAt!);
    await other.close(1000);
  });

  it("ends cancelled when a member run is cancelled, whatever onFailure says", async () => {
    await start({ a: {}, b: {} }, { nightly: { syncs: ["a", "b"], onFailure: "continue" } });
    const gate = deferred();
    t.destination("a").afterCall = () => gate.promise;
    const result = t.sequencer.trigger("nightly", { trigger: "api" });
    if (!("run" in result)) throw new Error("expected a run");
    const member = await until(
      () => t.sequencer.runs.get(result.run.id)!.members[0]!.runId,
      (id) => id !== null,
    );
    await until(
      () => t.destination("a").calls,
      (calls) => calls > 0,
    );
    t.engine.cancel(member!);
    gate.resolve();
    const run = await t.sequencer.wait(result.run.id);
    expect(run.status).toBe("cancelled");
    expect(run.members[1]!.runId).toBeNull();
  });

  it("ends interrupted when the service stops mid-sequence; later members do not start", async () => {
    await start({ a: {}, b: {} }, { nightly: { syncs: ["a", "b"] } });
    const gate = deferred();
    t.destination("a").afterCall = () => gate.promise;
    const result = t.sequencer.trigger("nightly", { trigger: "api" });
    if (!("run" in result)) throw new Error("expected a run");
    await until(
      () => t.destination("a").calls,
      (calls) => calls > 0,
    );
    const closing = t.engine.close(200);
    gate.resolve();
    await closing;
    await t.sequencer.close();
    const run = t.sequencer.runs.get(result.run.id)!;
    expect(run.status).toBe("interrupted");
    expect(run.members[1]!.runId).toBeNull();
  });

  it("marks a run left running by a dead process interrupted at the next start", async () => {
    await start({ a: {} }, { nightly: { syncs: ["a"] } });
    const gate = deferred();
    t.destination("a").afterCall = () => gate.promise;
    const result = t.sequencer.trigger("nightly", { trigger: "api" });
    if (!("run" in result)) throw new Error("expected a run");
    // The process "dies": its row keeps status running, with an owner that is no longer alive.
    setSequenceRunOwner(t.h.state.sqlite, result.run.id, "gone-host:1:dead", 0);
    gate.resolve();
    await t.sequencer.wait(result.run.id); // the old loop ends; its row is then overwritten below
    reopenSequenceRun(t.h.state.sqlite, result.run.id);
    await t.restart();
    const recovered = t.sequencer.runs.get(result.run.id)!;
    expect(recovered.status).toBe("interrupted");
    expect(recovered.error?.code).toBe("interrupted");
    expect((await t.sequencer.runNow("nightly")).status).toBe("succeeded");
  });

  it("refuses an unknown sequence", async () => {
    await start({ a: {} }, { nightly: { syncs: ["a"] } });
    expect(() => t.sequencer.trigger("nighly", { trigger: "api" })).toThrow(UnknownSequenceError);
  });
});
