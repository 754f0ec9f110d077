/**
 * The first run's floor in the state file: the writes a first sync of `rows` records must make
 * there, through the engine's own commit (src/engine/ledger/commit.ts) and nothing else: each
 * batch of 1,000 marked in doubt before its send, then its snapshot rows and changelog rows
 * committed after it, and at the end the changelog rows indexed by record. No model is read, no record built, nothing sent. It says how much of the
 * first run's time its crash-safety guarantees cost, whatever the rest of the engine does.
 * Usage: node bench/delta/state-floor.ts <state.db> <rows>
 */
import { createHash } from "node:crypto";
import { basename, dirname } from "node:path";
import { DEFAULTS } from "../../src/config/defaults.ts";
import type { StagedRecord } from "../../src/engine/delta/staging.ts";
import { Committer } from "../../src/engine/ledger/commit.ts";
import type { FinalOutcome } from "../../src/engine/ledger/final-outcome.ts";
import { emptyCounts } from "../../src/engine/shared/counts.ts";
import { ChangelogIndex } from "../../src/state/changelog-index.ts";
import { openState } from "../../src/state/database.ts";
import { peakRssMb, report } from "../lib/child.ts";
import { removeState } from "./scenario.ts";

const [path, rows] = [process.argv[2]!, Number(process.argv[3])];
const BATCH = 1000;
removeState(dirname(path), basename(path));
const state = openState(path);
const counts = emptyCounts();
const committer = new Committer(state.sqlite, {
  sync: "customers",
  primaryKey: ["id"],
  runId: "floor",
  counts,
  // The changelog at its default: kept, without values.
  changelog: { values: false, redact: (text) => text },
});
const ok: FinalOutcome = { status: "ok", attempts: 1 };
const started = performance.now();
for (let first = 1; first <= rows; first += BATCH) {
  const records: StagedRecord[] = [];
  const outcomes = new Map<string, FinalOutcome>();
  for (let id = first; id < Math.min(first + BATCH, rows + 1); id++) {
    const key = String(id);
    records.push(record(key));
    outcomes.set(key, ok);
  }
  committer.beforeSend(records);
  committer.commit(records, outcomes, "upsert");
}
// The run's end: its changelog rows indexed by record (src/engine/ledger/changelog-indexer.ts).
const index = new ChangelogIndex(state.sqlite);
while (index.indexChunk(DEFAULTS.changelog.indexChunk) === DEFAULTS.changelog.indexChunk);
const ms = performance.now() - started;
state.close();
removeState(dirname(path), basename(path));
if (counts.succeeded.added !== rows) throw new Error(`committed ${counts.succeeded.added} of ${rows}`);
report({ ms, peakRssMb: peakRssMb() });

function record(key: string): StagedRecord {
  return {
    seq: 0,
    key,
    change: "added",
    fields: null,
    keyValues: `{"id":${key}}`,
    hash: createHash("md5").update(key).digest("hex"),
    remoteId: null,
    fieldHashes: null,
    failedHashes: null,
    changedFields: null,
  };
}
