import { describe, expect, it } from "vitest";
import { inChunks } from "./chunks.ts";

async function* numbers(count: number, onEach?: (i: number) => void): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    onEach?.(i);
    yield i;
  }
}

async function collect<T>(chunks: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

describe("inChunks", () => {
  it("groups rows into chunks of the size, the last one shorter, none empty", async () => {
    const signal = new AbortController().signal;
    expect(await collect(inChunks(numbers(5), 2, signal))).toEqual([[0, 1], [2, 3], [4]]);
    expect(await collect(inChunks(numbers(4), 2, signal))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(await collect(inChunks(numbers(0), 2, signal))).toEqual([]);
  });

  it("stops after the chunk during which the signal aborted, with its reason", async () => {
    const controller = new AbortController();
    const seen: number[][] = [];
    const reading = (async () => {
      for await (const chunk of inChunks(
        numbers(100, (i) => i === 3 && controller.abort(new Error("cancelled"))),
        2,
        controller.signal,
      )) {
        seen.push(chunk);
      }
    })();
    await expect(reading).rejects.toThrow("cancelled");
    expect(seen).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it("throws at the end rather than yield a last chunk once aborted", async () => {
    const controller = new AbortController();
    const chunks = inChunks(
      numbers(3, (i) => i === 2 && controller.abort(new Error("cancelled"))),
      10,
      controller.signal,
    );
    await expect(collect(chunks)).rejects.toThrow("cancelled");
  });
});
