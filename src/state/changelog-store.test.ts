import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChangelogPruner } from "../engine/ledger/changelog-pruner.ts";
import { silentLogger } from "../sdk/logger.ts";
import { CallStore, type DestinationCallRow } from "./call-store.ts";
import { ChangelogStore, changelogAppender, type NewChangelogRow } from "./changelog-store.ts";
import { openState, type StateDatabase } from "./database.ts";

const DAY = 24 * 60 * 60_000;
let state: StateDatabase;
beforeEach(() => {
  state = openState(":memory:");
});
afterEach(() => state.close());

function append(runId: string, keys: string[], at: number, outcome: NewChangelogRow[2] = "ok") {
  const write = changelogAppender(state.sqlite, "people", runId);
  write(
    keys.map((key) => [key, "add", outcome, outcome === "ok" ? null : "E", null, `r-${key}`, 1, null]),
    at,
  );
}

describe("ChangelogStore", () => {
  it("pages a run's rows by cursor, filtered by outcome, and a record's runs newest first", () => {
    append("run_a", ["1", "2", "3"], 1_000);
    append("run_a", ["4"], 2_000, "reject");
    append("run_b", ["2"], 3_000, "retry");
    const store = new ChangelogStore(state.sqlite);
    const first = store.forRun("run_a", { limit: 2 });
    expect(first.map((row) => row.key)).toEqual(["1", "2"]);
    const second = store.forRun("run_a", { limit: 2, after: first[1]!.id });
    expect(second.map((row) => row.key)).toEqual(["3", "4"]);
    expect(store.forRun("run_a", { limit: 10, outcome: "reject" })).toMatchObject([
      { key: "4", outcome: "reject", code: "E", remoteId: "r-4", attempts: 1, at: "1970-01-01T00:00:02.000Z" },
    ]);
    expect(store.forRecord("people", "2", { limit: 10 }).map((row) => row.runId)).toEqual(["run_b", "run_a"]);
    const older = store.forRecord("people", "2", { limit: 1 });
    expect(store.forRecord("people", "2", { limit: 1, before: older[0]!.id })[0]!.runId).toBe("run_a");
    expect([...store.allForRun("run_a", undefined, 1)]).toHaveLength(4);
    expect(store.count()).toBe(5);
  });

  it("prunes rows past the retention in chunks, keeping the rest", async () => {
    const now = 100 * DAY;
    append(
      "run_old",
      Array.from({ length: 25 }, (_, i) => String(i)),
      now - 31 * DAY,
    );
    append("run_new", ["a", "b"], now - 29 * DAY);
    const pruned: number[] = [];
    const pruner = new ChangelogPruner(state.sqlite, 30, {
      logger: silentLogger,
      now: () => now,
      onPruned: (rows) => pruned.push(rows),
    });
    expect(await pruner.run(10)).toBe(25);
    expect(pruned).toEqual([10, 10, 5]);
    const store = new ChangelogStore(state.sqlite);
    expect(store.count()).toBe(2);
    expect(store.forRun("run_new", { limit: 10 })).toHaveLength(2);
    await pruner.stop();
    append("run_old2", ["x"], 0);
    expect(await pruner.run(10)).toBe(0);
  });
});

describe("CallStore", () => {
  it("keeps the last N calls per destination, newest first", () => {
    const store = new CallStore(state.sqlite);
    const call = (destination: string, i: number): DestinationCallRow => ({
      destination,
      at: i,
      method: "POST",
      url: `https://api.example.com/${i}`,
      status: 200,
      ms: 5,
      requestBytes: 10,
      responseBytes: 20,
      runId: "run_a",
      batch: i,
      error: null,
      requestBody: null,
      responseBody: null,
    });
    for (let i = 1; i <= 7; i++) store.record(call("hubspot", i), 3);
    store.record(call("braze", 1), 3);
    expect(store.last("hubspot", 10).map((row) => row.batch)).toEqual([7, 6, 5]);
    expect(store.last("braze", 10)).toHaveLength(1);
  });
});
