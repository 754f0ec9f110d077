import { snapshotRows } from "../../src/state/inspect/index.ts";
import type { Harness } from "./harness.ts";

/** A harness's snapshot as key, hash and remote id, for comparing two syncs of one history. */
export function snapshotOf(h: Harness): unknown[] {
  return snapshotRows(h.state.sqlite).map(({ key, hash, remote_id }) => ({ key, hash, remote_id }));
}

/** The writes since the last call, as operation:key=fields, sorted. */
export function writesSince(h: Harness): string[] {
  const out = h.destination.writes.map((w) => `${w.operation}:${w.key}=${JSON.stringify(w.fields)}`);
  h.destination.writes.length = 0;
  return out.sort();
}
