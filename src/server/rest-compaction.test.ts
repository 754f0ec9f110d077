import { getHeapSpaceStatistics } from "node:v8";
import { afterEach, describe, expect, it } from "vitest";
import { AppHarness, deferred } from "../../test/server/support.ts";
import { type Gc, memoryReducingGc } from "../engine/index.ts";
import { compactAtRest } from "./rest-compaction.ts";

let t: AppHarness | undefined;
let compaction: { close(): void } | undefined;
afterEach(async () => {
  compaction?.close();
  await t?.close();
});

const newSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === "new_space")!.space_size;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("compactAtRest", () => {
  it("gives back the young generation once the service is at rest", async () => {
    t = await new AppHarness().setup();
    // Objects that survive several scavenges make V8 grow its young generation.
    let kept: object[] = [];
    for (let i = 0; i < 400_000; i++) kept.push({ i, text: `row ${i}` });
    const grown = newSpace();
    kept = [];
    compaction = compactAtRest(t.h.engine, { delayMs: 20 });
    await sleep(300);
    expect(kept).toHaveLength(0);
    expect(newSpace()).toBeLessThan(grown);
  });

  it("waits for the last run to finish, then compacts once", async () => {
    t = await new AppHarness().setup();
    const real = memoryReducingGc();
    let calls = 0;
    const counted: Gc = (options) => {
      calls++;
      real?.(options);
    };
    const gate = deferred();
    t.h.destination.afterCall = () => gate.promise;
    compaction = compactAtRest(t.h.engine, { delayMs: 20, gc: counted });
    const { run } = t.h.engine.trigger("people");
    await sleep(200);
    expect(calls).toBe(0);
    gate.resolve();
    await t.h.engine.wait(run.id, 5000);
    await sleep(200);
    expect(calls).toBe(1);
  });
});
