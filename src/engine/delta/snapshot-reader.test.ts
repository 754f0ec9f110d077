import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { TransientError } from "../../sdk/errors/transient-error.ts";
import { openState } from "../../state/database.ts";
import { seedSnapshots } from "../../state/inspect/index.ts";
import { ROW } from "../../state/snapshot-pages.ts";
import { SnapshotCursor } from "./snapshot-cursor.ts";
import { openSnapshotReader } from "./snapshot-reader.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-snapshot-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stateWith(keys: string[]) {
  const state = openState(join(dir, `state-${Math.random().toString(36).slice(2)}.db`));
  seedSnapshots(state.sqlite, [
    ...keys.map((key, i) => ({ sync: "people", key, hash: i % 7 === 0 ? "" : `h${i}` })),
    { sync: "other", key: "a", hash: "x" },
  ]);
  return state;
}

async function entries(state: ReturnType<typeof stateWith>, threadedFrom: number) {
  const reader = openSnapshotReader(state.sqlite, "people", { threadedFrom });
  const out: Array<[string, string]> = [];
  try {
    const cursor = new SnapshotCursor(() => reader.next());
    while (cursor.key !== undefined) {
      out.push([cursor.key, cursor.hash]);
      cursor.advance();
    }
  } finally {
    await reader.close();
  }
  return out;
}

describe("snapshot reader", () => {
  // Over three pages of 8,192, with a key holding the row separator (read row by row).
  const keys = Array.from({ length: 20_000 }, (_, i) => `k${String(i).padStart(6, "0")}`);
  keys.push(`k010000${ROW}odd`, "é", "\u{1F600}");

  it("gives every entry of the sync in key order, on this thread and from a worker thread alike", async () => {
    const state = stateWith(keys);
    try {
      const inline = await entries(state, Number.POSITIVE_INFINITY);
      const threaded = await entries(state, 0);
      expect(inline).toHaveLength(keys.length);
      expect(inline.map(([key]) => key)).toEqual(
        [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
      );
      expect(inline.find(([key]) => key === "k000007")?.[1]).toBe("");
      expect(threaded).toEqual(inline);
    } finally {
      state.close();
    }
  });

  it("stops early without waiting for the worker to finish", async () => {
    const state = stateWith(keys);
    try {
      const reader = openSnapshotReader(state.sqlite, "people", { threadedFrom: 0 });
      const cursor = new SnapshotCursor(() => reader.next());
      expect(cursor.key).toBe("k000000");
      await reader.close();
    } finally {
      state.close();
    }
  });

  it("reads an empty snapshot as empty from a worker thread", async () => {
    const state = stateWith([]);
    try {
      expect(await entries(state, 0)).toEqual([]);
    } finally {
      state.close();
    }
  });

  describe("a worker that dies without posting", () => {
    /** A worker module of the test's own; the reader starts it as it starts its own. */
    const workerFile = (name: string, source: string) => {
      const file = join(dir, name);
      writeFileSync(file, source);
      return pathToFileURL(file);
    };

    it("is taken for dead after the silence, with a transient error, when it runs out of memory", async () => {
      const worker = workerFile("oom.mjs", "const kept = []; for (;;) kept.push(`${Math.random()}`.repeat(100));");
      const state = stateWith(keys);
      try {
        const reader = openSnapshotReader(state.sqlite, "people", { threadedFrom: 0, worker, silenceMs: 1500 });
        expect(() => reader.next()).toThrow(TransientError);
        expect(reader.next()).toBeUndefined();
        await reader.close();
      } finally {
        state.close();
      }
    });

    it("gives the worker's own error once the event loop has seen it", async () => {
      const worker = workerFile("throws.mjs", 'throw new Error("the driver did not load");');
      const state = stateWith(keys);
      try {
        const reader = openSnapshotReader(state.sqlite, "people", { threadedFrom: 0, worker, silenceMs: 60_000 });
        // As between two of the model's chunks: the loop runs and delivers the worker's 'error'.
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(() => reader.next()).toThrow(/worker thread stopped: the driver did not load/);
        await reader.close();
      } finally {
        state.close();
      }
    });

    it("refuses to start from a module that is not there, naming it", () => {
      const state = stateWith(keys);
      try {
        const worker = pathToFileURL(join(dir, "missing-worker.js"));
        expect(() => openSnapshotReader(state.sqlite, "people", { threadedFrom: 0, worker })).toThrow(
          /missing-worker\.js is missing: reinstall the package/,
        );
      } finally {
        state.close();
      }
    });
  });
});
