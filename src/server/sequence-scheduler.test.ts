import { afterEach, describe, expect, it } from "vitest";
import { deferred, until } from "../../test/server/support.ts";
import { SequenceHarness } from "../../test/support/sequence-harness.ts";
import { silentLogger } from "../sdk/logger.ts";
import { SequenceScheduler } from "./sequence-scheduler.ts";

let t: SequenceHarness;
let scheduler: SequenceScheduler | undefined;
afterEach(async () => {
  scheduler?.stop();
  await t?.close();
});

describe("SequenceScheduler", () => {
  it("runs the sequence on its cron with trigger 'schedule', skipping ticks while it runs", async () => {
    t = await new SequenceHarness(
      { a: {}, b: {} },
      { every: { syncs: ["a", "b"], schedule: "* * * * * *" }, manual: { syncs: ["b"] } },
    ).setup();
    const gate = deferred();
    t.destination("a").afterCall = () => gate.promise;
    scheduler = new SequenceScheduler(t.sequencer, silentLogger, () => false);
    expect(scheduler.nextRun("every")).toBeInstanceOf(Date);
    expect(scheduler.nextRun("manual")).toBeNull();
    scheduler.start();
    const first = await until(
      () => t.sequencer.runs.list("every", 10),
      (runs) => runs.length > 0,
      5000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2200)); // two more ticks while it is held
    expect(t.sequencer.runs.list("every", 10)).toHaveLength(1);
    expect(first[0]!.trigger).toBe("schedule");
    scheduler.stop();
    gate.resolve();
    const done = await t.sequencer.wait(first[0]!.id, 10_000);
    expect(done.status).toBe("succeeded");
    expect(t.sequencer.runs.list("manual", 10)).toHaveLength(0);
  });

  it("does not trigger while the service drains", async () => {
    t = await new SequenceHarness({ a: {} }, { every: { syncs: ["a"], schedule: "* * * * * *" } }).setup();
    scheduler = new SequenceScheduler(t.sequencer, silentLogger, () => true);
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(t.sequencer.runs.list("every", 10)).toHaveLength(0);
  });
});
