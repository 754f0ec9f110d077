import { describe, expect, it } from "vitest";
import type { DestinationRecord } from "./destination.ts";
import { ConfigurationError } from "./errors/configuration-error.ts";
import { RateLimitError } from "./errors/rate-limit-error.ts";
import { ok } from "./outcomes.ts";
import { sendInTurns } from "./turns.ts";

const records: DestinationRecord[] = ["a", "b", "c", "d", "e"].map((key) => ({ key, keyValues: { key }, fields: {} }));

describe("sendInTurns", () => {
  it("sends turns of `size` one after another and gathers their outcomes in order", async () => {
    const turns: string[][] = [];
    const outcomes = await sendInTurns(records, 2, async (turn) => {
      turns.push(turn.map((record) => record.key));
      return turn.map((record) => ok(record, `id-${record.key}`));
    });
    expect(turns).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(outcomes.map((outcome) => outcome.key)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("retries the records not yet sent when a later turn fails for now, keeping those accepted", async () => {
    const limited = new RateLimitError("slow down", { retryAfterMs: 2_000 });
    const outcomes = await sendInTurns(records, 2, async (turn) => {
      if (turn[0]!.key === "c") throw limited;
      return turn.map((record) => ok(record));
    });
    expect(outcomes).toEqual([
      { key: "a", status: "ok" },
      { key: "b", status: "ok" },
      ...["c", "d", "e"].map((key) => ({
        key,
        status: "retry",
        code: "rate_limited",
        message: "slow down",
        retryAfterMs: 2_000,
      })),
    ]);
  });

  it("throws the first turn's failure, and any failure that is not for now", async () => {
    const limited = new RateLimitError("slow down");
    await expect(sendInTurns(records, 2, () => Promise.reject(limited))).rejects.toBe(limited);
    const broken = new ConfigurationError("bad key");
    let calls = 0;
    const later = sendInTurns(records, 2, async (turn) => {
      if (calls++ > 0) throw broken;
      return turn.map((record) => ok(record));
    });
    await expect(later).rejects.toBe(broken);
  });
});
