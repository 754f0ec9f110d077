import { afterEach, describe, expect, it } from "vitest";
import { openState, type StateDatabase } from "../../state/database.ts";
import type { StagedRecord } from "../delta/staging.ts";
import { emptyCounts } from "../run/counts.ts";
import type { FinalOutcome } from "../sink/deliver.ts";
import { Committer } from "./commit.ts";

// Field hashes in the snapshot across a batch's outcomes (sendChangedFieldsOnly): they change
// only when the destination accepted the record; otherwise the next run sends the record with
// every field of the failed or unsettled attempt (failedHashes, computed when planning).
let state: StateDatabase;
afterEach(() => state?.close());

function setup() {
  state = openState(":memory:");
  state.sqlite
    .prepare("INSERT INTO snapshots (sync, key, hash, remote_id, delivered_at, field_hashes) VALUES (?, ?, ?, ?, ?, ?)")
    .run("s", "1", "old-hash", "r1", 1, "delivered");
  return new Committer(state.sqlite, "s", "run_1", emptyCounts());
}

const record: StagedRecord = {
  seq: 1,
  key: "1",
  change: "changed",
  fields: '{"name":"B"}',
  keyValues: '{"id":1}',
  hash: "new-hash",
  remoteId: "r1",
  fieldHashes: "next",
  failedHashes: "dirty",
  changedFields: '["name"]',
};
const snapshot = () => state.sqlite.prepare("SELECT hash, field_hashes AS f FROM snapshots WHERE key = '1'").get();

describe("Committer and field hashes", () => {
  it.each<[string, FinalOutcome, { hash: string; f: string }]>([
    ["accepted: the new hashes", { status: "ok", attempts: 1 }, { hash: "new-hash", f: "next" }],
    [
      "refused: sent again, with the fields of the failed attempt",
      { status: "failed", errorClass: "permanent", code: "x", message: "no", attempts: 1 },
      { hash: "", f: "dirty" },
    ],
    [
      "retries used up: the same",
      { status: "failed", errorClass: "transient", code: "x", message: "busy", attempts: 5 },
      { hash: "", f: "dirty" },
    ],
    [
      "carried by a call but unsettled (shutdown): in doubt",
      { status: "deferred", attempts: 1 },
      { hash: "", f: "dirty" },
    ],
    [
      "never sent (the run stopped first): untouched",
      { status: "deferred", attempts: 0 },
      { hash: "old-hash", f: "delivered" },
    ],
  ])("%s", (_name, outcome, expected) => {
    const committer = setup();
    committer.commit([record], new Map([["1", outcome]]), "upsert");
    expect(snapshot()).toEqual(expected);
  });
});
