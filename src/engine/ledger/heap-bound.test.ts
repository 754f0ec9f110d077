import { getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { memoryReducingGc } from "../shared/gc.ts";
import { heapBound } from "./heap-bound.ts";

describe("heapBound", () => {
  it("collects only past its limit", () => {
    let collections = 0;
    const gc = () => {
      collections++;
    };
    const never = heapBound(Number.POSITIVE_INFINITY, gc);
    never();
    expect(collections).toBe(0);
    const always = heapBound(0, gc);
    always();
    expect(collections).toBe(1);
  });

  it("gives the heap's garbage back with V8's own collection", () => {
    const check = heapBound(1, memoryReducingGc());
    let garbage: string[] | undefined = Array.from({ length: 200_000 }, (_, i) => `row ${i} `.repeat(8));
    const grown = getHeapStatistics().used_heap_size;
    garbage = undefined;
    check();
    expect(garbage).toBeUndefined();
    expect(getHeapStatistics().used_heap_size).toBeLessThan(grown / 2);
  });

  it("does nothing without a gc() (Deno)", () => {
    expect(() => heapBound(0, undefined)()).not.toThrow();
  });
});
