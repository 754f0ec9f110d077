import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULTS } from "../config/defaults.ts";
import { connectStateFile } from "./connection.ts";
import { openState } from "./database.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-connection-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("state file connections", () => {
  it("run with the same settings: WAL, its checkpoint interval and size cap, the page cache", () => {
    const state = openState(join(dir, "state.db"));
    const second = connectStateFile(join(dir, "state.db"));
    try {
      for (const db of [state.sqlite, second]) {
        expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
        expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(DEFAULTS.stateWalPages);
        expect(db.pragma("journal_size_limit", { simple: true })).toBe(DEFAULTS.stateWalPages * 4096);
        expect(db.pragma("cache_size", { simple: true })).toBe(-DEFAULTS.stateCacheKib);
      }
    } finally {
      second.close();
      state.close();
    }
  });
});
