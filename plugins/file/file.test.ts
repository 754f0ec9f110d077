import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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

  it("creates its directory again when it was removed between writes", async () => {
    const one = { key: "1", keyValues: { id: 1 }, fields: { name: "Ada" } };
    await file.write(ctx, { object: "again", operation: "upsert", records: [one], options: {} });
    rmSync(join(dir, "out"), { recursive: true });
    await file.write(ctx, { object: "again", operation: "upsert", records: [one], options: {} });
    expect(readLog(join(dir, "out", "again.jsonl")).map((op) => op.key)).toEqual(["1"]);
  });

  it("writes each line as JSON.stringify would", async () => {
    const fields = { name: "Ada", tags: ["x"], n: 1.5, at: null };
    const record = { key: 'k"1', keyValues: { id: 'k"1' }, fields };
    await file.write(ctx, { object: "spliced", operation: "upsert", records: [record], options: {} });
    const [line] = readFileSync(join(dir, "out", "spliced.jsonl"), "utf8")
      .trim()
      .split("\n");
    const { at } = JSON.parse(line!) as { at: string };
    expect(line).toBe(JSON.stringify({ op: "upsert", key: record.key, fields, at }));
  });

  it("refuses an object name that could escape its directory", async () => {
    await expect(file.write(ctx, { object: "../etc", operation: "upsert", records: [], options: {} })).rejects.toThrow(
      "not a safe file name",
    );
  });
});
