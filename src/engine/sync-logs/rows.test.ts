import { describe, expect, it } from "vitest";
import { emptyCounts } from "../shared/counts.ts";
import { changelogRow, outcomeOf, runRow, snapshotFromEntry, snapshotFromLedger, tsText } from "./rows.ts";
import { CHANGELOG_COLUMNS, RUN_COLUMNS, SNAPSHOT_STAGE_COLUMNS } from "./tables.ts";
import type { ChangelogEntry } from "./types.ts";

const entry: ChangelogEntry = {
  runId: "run_2",
  sync: "people",
  key: "7",
  operation: "change",
  outcome: "ok",
  code: null,
  reason: null,
  remoteId: null,
  attempts: 1,
  at: "2026-12-06T09:15:26.123Z",
};
const failing = {
  key: "7",
  change: "changed",
  errorClass: "transient",
  errorCode: "busy",
  reason: "try again",
  attempts: 3,
  firstFailedAt: Date.parse("2026-12-01T00:00:00Z"),
  lastFailedAt: Date.parse("2026-12-06T09:15:26.123Z"),
};

describe("sync log rows", () => {
  it("writes UTC timestamps every warehouse casts, and nothing for none", () => {
    expect(tsText(Date.parse("2026-12-06T09:15:26.123Z"))).toBe("2026-12-06 09:15:26.123");
    expect(tsText(null)).toBeNull();
    expect(tsText(Number.NaN)).toBeNull();
  });

  it("gives every column a value, in the tables' order", () => {
    const counts = { ...emptyCounts(), rowsRead: 10, succeeded: { added: 8, changed: 0, removed: 1 } };
    const row = runRow(
      {
        id: "run_1",
        sync: "people",
        status: "partial",
        trigger: "cli",
        options: {},
        createdAt: 1000,
        startedAt: 2000,
        finishedAt: 4500,
        counts,
        invalid: 0,
        invalidSamples: [],
        error: null,
      },
      5000,
    );
    expect(row).toHaveLength(RUN_COLUMNS.length);
    const value = (name: string) => row[RUN_COLUMNS.findIndex(([column]) => column === name)];
    expect(value("duration_ms")).toBe("2500");
    expect(value("succeeded_removed")).toBe("1");
    expect(value("error_code")).toBeNull();
    expect(changelogRow(entry)).toHaveLength(CHANGELOG_COLUMNS.length);
    expect(snapshotFromEntry(entry, undefined, "r-7", 0)).toHaveLength(SNAPSHOT_STAGE_COLUMNS.length);
  });

  it("takes a failing record's status from the ledger, a succeeded one's from the entry", () => {
    const failed = snapshotFromEntry({ ...entry, outcome: "retry", code: "busy" }, failing, "r-7", 4);
    expect(failed).toEqual([
      "people",
      "7",
      "change",
      "retry",
      "busy",
      "try again",
      "r-7",
      "3",
      "run_2",
      "2026-12-06 09:15:26.123",
      null,
      "2026-12-01 00:00:00.000",
      "4",
    ]);
    const ok = snapshotFromEntry(entry, undefined, "r-7", 5);
    expect(ok.slice(3, 6)).toEqual(["ok", null, null]);
    expect(ok[10]).toBe("2026-12-06 09:15:26.123"); // last success
    expect(
      snapshotFromLedger("people", "run_2", { ...failing, errorClass: "permanent" }, undefined, 6).slice(2, 4),
    ).toEqual(["change", "reject"]);
    expect(outcomeOf("quota")).toBe("retry");
  });
});
