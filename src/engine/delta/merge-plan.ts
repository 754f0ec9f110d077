import type Database from "better-sqlite3";
import { keyOf } from "../../sdk/key.ts";
import type { OrderedRead } from "../../sdk/ordered-read.ts";
import { type Candidate, StagedCandidates } from "../../state/staged-candidates.ts";
import type { StagingArea } from "../../state/staging-area.ts";
import type { RunCounts } from "../shared/counts.ts";
import type { SyncSpec } from "../shared/sync-spec.ts";
import { countNullKeys, type InvalidRow } from "./plan-result.ts";
import { materialize } from "./record.ts";
import { OrderViolation, SnapshotCursor } from "./snapshot-cursor.ts";
import { openSnapshotReader } from "./snapshot-reader.ts";

/**
 * The delta by a streaming merge (capability 1, second and later runs). The model's keys
 * arrive ordered, each with a warehouse-computed hash; the snapshot is read in the same order;
 * one pass classifies every key: a key whose hash equals the snapshot's is unchanged and its
 * row is never read. Keys that are new, or whose hash differs (or was empty: in doubt or
 * failed), are staged as candidates, and their rows are then fetched, hashed here and staged
 * in full (a differing warehouse hash with an equal row hash is unchanged after all).
 * Same results as the lookup path (planner.ts): duplicates are adjacent here, and a snapshot
 * key the model skipped is removed. Throws OrderViolation when either side is out of order or
 * the second read does not return exactly the candidates (the caller falls back). Returns the
 * snapshot's size (every entry is passed once).
 */
export async function mergePlan(
  db: Database.Database,
  staging: StagingArea,
  spec: SyncSpec,
  read: OrderedRead,
  counts: RunCounts,
  invalidSamples: InvalidRow[],
  onProgress?: () => void,
): Promise<number> {
  const staged = new StagedCandidates(staging);
  const stage = (row: Candidate) => staged.add(row);
  const insertMode = spec.mode === "insert";
  const pk = spec.primaryKey;
  // The key before this one, how many rows it had and what to stage for it: scalars, not an
  // object per row (10M objects of garbage at 10M rows).
  let pendingKey: string | undefined;
  let pendingRows = 0;
  let pendingCandidate: Candidate | undefined;
  let unchanged = 0;
  const flush = () => {
    if (pendingKey === undefined) return;
    if (pendingRows > 1) stage([pendingKey, "invalid", null, pendingRows - 1]);
    else if (pendingCandidate) stage(pendingCandidate);
    else unchanged++;
  };
  let candidates = 0;
  let snapshotSize = 0;
  // The snapshot is read only while the model's keys stream by (see snapshot-reader.ts).
  const reader = openSnapshotReader(db, spec.name);
  try {
    const cursor = new SnapshotCursor(() => reader.next());
    const removeUpTo = (key: string | undefined) => {
      while (cursor.key !== undefined && (key === undefined || cursor.key < key)) {
        stage([cursor.key, "removed", null, 0]);
        cursor.advance();
        snapshotSize++;
      }
    };
    for await (const chunk of read.chunks) {
      const keyAt = chunk.key ? (i: number) => chunk.key!(i) : (i: number) => keyOf(chunk.keyRow(i), pk);
      for (let i = 0; i < chunk.length; i++) {
        const key = keyAt(i);
        if (key === undefined) {
          countNullKeys(counts, invalidSamples, pk);
          continue;
        }
        if (pendingKey !== undefined) {
          if (key === pendingKey) {
            pendingRows++;
            continue;
          }
          if (key < pendingKey) throw new OrderViolation("the model");
          flush();
        }
        removeUpTo(key);
        let candidate: Candidate | undefined;
        if (cursor.key !== key) candidate = [key, "added", null, 0];
        else {
          if (insertMode) candidate = cursor.hash === "" ? [key, "added", null, 0] : undefined;
          else if (!cursor.matches(chunk, i)) candidate = [key, "changed", cursor.hash, 0];
          cursor.advance();
          snapshotSize++;
        }
        if (candidate) candidates++;
        pendingKey = key;
        pendingRows = 1;
        pendingCandidate = candidate;
      }
      counts.rowsRead += chunk.length;
      onProgress?.();
    }
    flush();
    removeUpTo(undefined);
  } finally {
    await reader.close();
  }
  staged.flush();
  counts.unchanged = unchanged;
  if (candidates > 0) counts.unchanged += await fetchCandidates(staged, spec, read);
  staged.fillRemoteIds(spec.name);
  return snapshotSize;
}

/**
 * Reads the candidates' rows and stages them in full; returns how many turned out unchanged.
 * A staged candidate has no fields yet; a 'changed' one holds the snapshot's hash until then.
 */
async function fetchCandidates(staged: StagedCandidates, spec: SyncSpec, read: OrderedRead): Promise<number> {
  let same = 0;
  const apply = staged.transaction((rows: Parameters<typeof materialize>[0][]) => {
    for (const row of rows) {
      const key = keyOf(row, spec.primaryKey);
      const candidate = key === undefined ? undefined : staged.find(key);
      if (
        key === undefined ||
        !candidate ||
        candidate.fields !== null ||
        (candidate.change !== "added" && candidate.change !== "changed")
      ) {
        throw new OrderViolation("the model's second read");
      }
      const record = materialize(row, spec);
      if (candidate.change === "changed" && candidate.hash === record.hash) {
        staged.discard(key);
        same++;
      } else staged.complete(key, record.hash, record.json, record.keyValues, record.fieldHashes);
    }
  });
  for await (const rows of read.rows(staged.keys())) apply(rows);
  if (staged.unfetched() > 0) throw new OrderViolation("the model's second read");
  return same;
}
