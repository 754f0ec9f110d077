import { describe, expect, it } from "vitest";
import { syncSpec } from "../../../test/support/sync-spec.ts";
import { resolveDeleteGuard } from "../../config/resolve-sync.ts";
import type { SyncConfig } from "../../config/schema.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { checkDeleteGuard } from "./guard.ts";

function spec(mode: SyncSpec["mode"], deleteGuard: SyncConfig["deleteGuard"] = {}): SyncSpec {
  return syncSpec({
    name: "contacts",
    model: { kind: "sql", sql: "SELECT 1" },
    primaryKey: ["id"],
    object: "contacts",
    mode,
    mapping: [],
    deleteGuard: resolveDeleteGuard(deleteGuard),
  });
}

const check = (s: SyncSpec, removed: number, snapshotSize: number, rowsRead = snapshotSize - removed, force = false) =>
  checkDeleteGuard(s, { removed, snapshotSize, rowsRead, force });

describe("the delete guard", () => {
  it("guards only mirror mode, and only when something would be deleted", () => {
    expect(check(spec("upsert"), 100, 100, 0)).toBeUndefined();
    expect(check(spec("mirror"), 0, 100, 0)).toBeUndefined();
  });

  it("by default refuses more than 20% only when that is over 10 records", () => {
    expect(check(spec("mirror"), 10, 20)).toBeUndefined();
    expect(check(spec("mirror"), 11, 50)?.code).toBe("delete_guard");
    expect(check(spec("mirror"), 20, 100)).toBeUndefined();
    expect(check(spec("mirror"), 21, 100)?.message).toContain("21 of 100 delivered records (21.0%)");
  });

  it("applies an explicit maxPercent from the first record", () => {
    expect(check(spec("mirror", { maxPercent: 10 }), 2, 10)?.message).toContain("deleteGuard.maxPercent (10%)");
    expect(check(spec("mirror", { maxPercent: 10 }), 1, 10)).toBeUndefined();
  });

  it("refuses more than maxCount, whatever the share", () => {
    expect(check(spec("mirror", { maxCount: 5 }), 5, 1000)).toBeUndefined();
    expect(check(spec("mirror", { maxCount: 5 }), 6, 1000)?.message).toContain("deleteGuard.maxCount (5)");
  });

  it("always refuses to delete everything because the model came back empty, even under the thresholds", () => {
    const error = check(spec("mirror", { maxPercent: 100 }), 3, 3, 0);
    expect(error?.message).toContain("the model returned no rows");
  });

  it("lets everything through when forced", () => {
    expect(check(spec("mirror"), 100, 100, 0, true)).toBeUndefined();
  });

  it("fails as a configuration error naming the setting and the way through", () => {
    const error = check(spec("mirror"), 50, 100);
    expect(error).toMatchObject({ kind: "configuration", code: "delete_guard", path: "syncs.contacts.deleteGuard" });
    expect(error?.message).toContain("nothing was sent");
    expect(error?.fix).toContain("--force-deletes");
  });
});
