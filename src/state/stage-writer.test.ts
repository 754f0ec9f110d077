import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { StageWriter } from "./stage-writer.ts";
import { StagingArea } from "./staging-area.ts";

it("stages rows in batches and marks a key staged twice invalid, also within one statement", () => {
  const db = new Database(":memory:");
  const staging = new StagingArea(db, "run");
  const writer = new StageWriter(staging);
  db.transaction(() => {
    for (let i = 0; i < 120; i++) writer.add([String(i % 100), "changed", "h", "{}", "{}", null]);
    writer.add(["7", "added", "h", "{}", "{}", null]);
    writer.flush();
  })();
  const rows = db.prepare(`SELECT key, change, dup, fields FROM ${staging.table} ORDER BY seq`).all() as Array<{
    key: string;
    change: string;
    dup: number;
    fields: string | null;
  }>;
  expect(rows).toHaveLength(100);
  const invalid = rows.filter((row) => row.change === "invalid");
  expect(invalid.map((row) => row.key).sort()).toEqual(Array.from({ length: 20 }, (_, i) => String(i)).sort());
  expect(invalid.find((row) => row.key === "7")).toEqual({ key: "7", change: "invalid", dup: 2, fields: null });
  expect(invalid.find((row) => row.key === "19")?.dup).toBe(1);
});
