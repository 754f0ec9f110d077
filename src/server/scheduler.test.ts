import { afterEach, describe, expect, it } from "vitest";
import { AppHarness, deferred } from "../../test/server/support.ts";
import { silentLogger } from "../sdk/logger.ts";
import { Scheduler } from "./scheduler.ts";

let t: AppHarness;
let scheduler: Scheduler | undefined;
afterEach(async () => {
  scheduler?.stop();
  await t?.close();
});

describe("Scheduler", () => {
  it("triggers the sync on its cron with trigger 'schedule', coalescing ticks while it runs", async () => {
    t = await new AppHarness().setup();
    const gate = deferred();
    t.h.destination.afterCall = () => gate.promise;
    scheduler = new Scheduler(t.h.engine, [["people", "* * * * * *"]], silentLogger);
    expect(scheduler.nextRun("people")).toBeInstanceOf(Date);
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 3300)); // three or four ticks, one run blocked
    const runs = t.h.engine.runs.list("people", { limit: 10 });
    expect(runs.map((run) => run.status).sort()).toEqual(["queued", "running"]);
    expect(runs.every((run) => run.trigger === "schedule")).toBe(true);
    scheduler.stop();
    expect(scheduler.nextRun("people")).toBeNull();
    gate.resolve();
    await t.h.engine.wait(runs[0]!.id, 5000);
    expect(t.h.engine.runs.list("people", { limit: 10 })).toHaveLength(2);
  });

  it("has no next run for a sync without a schedule", () => {
    const none = new Scheduler({} as never, [["people", undefined]], silentLogger);
    expect(none.nextRun("people")).toBeNull();
  });
});
