import { describe, expect, it } from "vitest";
import { QuotaState } from "./quota-state.ts";

describe("QuotaState", () => {
  it("is used up from the refusal until its reset time passes", () => {
    const state = new QuotaState();
    expect(state.status(0)).toEqual([]);
    state.exhausted("daily API requests", new Date(5_000), 1_000);
    expect(state.status(2_000)).toEqual([{ quota: "daily API requests", exhausted: true, resetsAt: 5_000 }]);
    expect(state.status(5_000)[0]!.exhausted).toBe(false);
  });

  it("without a reset time, until the destination accepts a call again", () => {
    const state = new QuotaState();
    state.exhausted("monthly contacts", undefined, 1_000);
    expect(state.status(9_999_999)[0]).toEqual({ quota: "monthly contacts", exhausted: true, resetsAt: undefined });
    state.accepted(2_000);
    expect(state.status(2_001)[0]!.exhausted).toBe(false);
    state.exhausted("monthly contacts", undefined, 3_000);
    expect(state.status(3_001)[0]!.exhausted).toBe(true);
  });

  it("stays used up when the call accepted had started before the refusal", () => {
    const state = new QuotaState();
    state.exhausted("daily API requests", undefined, 2_000);
    state.accepted(1_500); // in flight when the refusal came
    expect(state.status(3_000)[0]!.exhausted).toBe(true);
  });
});
