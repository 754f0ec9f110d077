import { afterEach, beforeEach, expect, it } from "vitest";
import { openState, type StateDatabase } from "./database.ts";
import { StagedCandidates } from "./staged-candidates.ts";
import { StagingArea } from "./staging-area.ts";

let state: StateDatabase;
beforeEach(() => {
  state = openState(":memory:");
});
afterEach(() => state.close());

it("stages candidates in buffered writes, completes or discards them, and fills remote ids", () => {
  state.sqlite
    .prepare("INSERT INTO snapshots (sync, key, hash, remote_id, delivered_at) VALUES ('people', 'b', 'old', 'r-b', 0)")
    .run();
  const staging = new StagingArea(state.sqlite, "run");
  const candidates = new StagedCandidates(staging);
  for (let i = 0; i < 1500; i++) candidates.add([`k${String(i).padStart(4, "0")}`, "added", null, 0]);
  candidates.add(["b", "changed", "old", 0]);
  candidates.add(["c", "changed", "old", 0]);
  candidates.add(["x", "invalid", null, 1]);
  expect(staging.tally()).toEqual({ added: 1024 });
  candidates.flush();
  expect(candidates.unfetched()).toBe(1502);
  const pages = [...candidates.keys()];
  expect(pages.flat()).toHaveLength(1502);
  expect(pages.flat()[0]).toBe("b");

  expect(candidates.find("b")).toEqual({ change: "changed", hash: "old", fields: null });
  expect(candidates.find("nope")).toBeUndefined();
  candidates.transaction(() => {
    candidates.complete("b", "new", '{"v":1}', '{"k":"b"}', null);
    candidates.discard("c");
    for (let i = 0; i < 1500; i++) candidates.complete(`k${String(i).padStart(4, "0")}`, "h", "{}", "{}", null);
  })();
  expect(candidates.unfetched()).toBe(0);
  candidates.fillRemoteIds("people");
  expect(staging.sample("changed", 5)).toMatchObject([{ key: "b", hash: "new", fields: '{"v":1}', remoteId: "r-b" }]);
  expect(staging.duplicates()).toEqual([{ key: "x", dup: 1 }]);
});
