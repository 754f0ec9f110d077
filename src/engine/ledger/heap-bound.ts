import { getHeapStatistics } from "node:v8";
import { type Gc, memoryReducingGc } from "../shared/gc.ts";

/**
 * A check, run after each unit of a worker's work, that keeps the worker's V8 heap near what it
 * holds: past `limit` bytes, and past twice what the last collection kept, one memory-reducing
 * full GC. The commit writer needs it: each batch's writes arrive as a fresh object graph that
 * its small young generation promotes, and a writer busy without pause on a long run lets V8
 * grow the old generation with that garbage (BENCHMARKS.md, section 1). Without a gc() (Deno),
 * the check does nothing.
 */
export function heapBound(limit: number, gc: Gc | undefined = memoryReducingGc()): () => void {
  if (!gc) return () => {};
  let kept = 0;
  return () => {
    if (getHeapStatistics().total_heap_size <= Math.max(limit, 2 * kept)) return;
    gc({ type: "major", execution: "sync", flavor: "last-resort" });
    kept = getHeapStatistics().used_heap_size;
  };
}
