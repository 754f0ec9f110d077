import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { processAlive } from "./process.ts";

describe("processAlive", () => {
  it("is true for this process", () => {
    expect(processAlive(process.pid)).toBe(true);
  });

  it("is false for a process that has exited", () => {
    const child = spawnSync(process.execPath, ["-e", ""]);
    expect(child.pid).toBeGreaterThan(0);
    expect(processAlive(child.pid)).toBe(false);
  });
});
