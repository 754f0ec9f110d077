import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpClient, silentLogger } from "syncline/sdk";
import { describe, expect, it } from "vitest";
import file from "./index.ts";
import { readLog, replay } from "./replay.ts";

describe("file destination", () => {
  const dir = mkdtempSync(join(tmpdir(), "syncline-file-"));
  const ctx = {
    config: { path: "out" },
    logger: silentLogger,
    signal: new AbortController().signal,
    http: createHttpClient({ timeoutMs: 5_000 }),
    pause: () => {},
    state: new Map(),
    baseDir: dir,
  };

  it("appends every operation and replays to what a destination would hold", async () => {
    const a = { key: "1", keyValues: { id: 1 }, fields: { name: "Ada" } };
    const b = { key: "2", keyValues: { id: 2 }, fields: { name: "Alan" } };
    await file.write(ctx, { object: "people", operation: "upsert", records: [a, b], options: {} });
    await file.write(ctx, {
      object: "people",
      operation: "upsert",
      records: [{ ...a, fields: { name: "Ada L." } }],
      options: {},
    });
    const outcomes = await file.write(ctx, {
      object: "people",
      operation: "delete",
      records: [{ ...b, fields: {} }],
      options: {},
    });
    expect(outcomes).toEqual([{ key: "2", status: "ok", remoteId: "2" }]);
    const log = join(dir, "out", "people.jsonl");
    expect(readLog(log).map((op) => `${op.op}:${op.key}`)).toEqual(["upsert:1", "upsert:2", "upsert:1", "delete:2"]);
    expect(replay(log)).toEqual(new Map([["1", { name: "Ada L." }]]));
  });

  it("refuses an object name that could escape its directory", async () => {
    await expect(file.write(ctx, { object: "../etc", operation: "upsert", records: [], options: {} })).rejects.toThrow(
      "not a safe file name",
    );
  });
});
