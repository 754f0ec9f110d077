import { describe, expect, it } from "vitest";
import type { StagedRecord } from "../delta/staging.ts";
import { type BatchLimits, batches, recordBytes } from "./batcher.ts";

function staged(key: string, fieldsLength = 10): StagedRecord {
  return {
    seq: 0,
    key,
    change: "added",
    fields: `"${"x".repeat(Math.max(0, fieldsLength - 2))}"`,
    keyValues: null,
    hash: "h",
    remoteId: null,
    fieldHashes: null,
    failedHashes: null,
    changedFields: null,
  };
}

async function group(pages: StagedRecord[][], limits: BatchLimits) {
  const oversized: Array<[string, number]> = [];
  const out: StagedRecord[][] = [];
  for await (const batch of batches(pages, limits, (record, bytes) => oversized.push([record.key, bytes])))
    out.push(batch);
  return { keys: out.map((batch) => batch.map((record) => record.key)), oversized };
}

describe("batches", () => {
  it("cuts at maxRecords, across page boundaries, and flushes the last partial batch", async () => {
    const pages = [["a", "b", "c"].map((k) => staged(k)), ["d", "e"].map((k) => staged(k))];
    expect((await group(pages, { maxRecords: 2 })).keys).toEqual([["a", "b"], ["c", "d"], ["e"]]);
  });

  it("cuts when the next record would pass maxBytes; exactly maxBytes still fits", async () => {
    const size = recordBytes(staged("a"));
    const pages = [["a", "b", "c"].map((k) => staged(k))];
    expect((await group(pages, { maxRecords: 100, maxBytes: 2 * size })).keys).toEqual([["a", "b"], ["c"]]);
    expect((await group(pages, { maxRecords: 100, maxBytes: 2 * size - 1 })).keys).toEqual([["a"], ["b"], ["c"]]);
  });

  it("hands a record larger than maxBytes alone to `oversized`, never to a batch, and goes on", async () => {
    const big = staged("big", 500);
    const pages = [[staged("a"), big, staged("b")]];
    const { keys, oversized } = await group(pages, { maxRecords: 100, maxBytes: 200 });
    expect(keys).toEqual([["a", "b"]]);
    expect(oversized).toEqual([["big", recordBytes(big)]]);
  });

  it("counts the fields, the key values and the key in a record's bytes", async () => {
    const record = { ...staged("abc", 10), keyValues: '{"id":"abc"}' };
    expect(recordBytes(record)).toBe(10 + 12 + 3 + 32);
  });

  it("yields nothing for an empty delta, or pages of nothing", async () => {
    expect((await group([], { maxRecords: 2 })).keys).toEqual([]);
    expect((await group([[], []], { maxRecords: 2 })).keys).toEqual([]);
  });
});
