import type { ChangelogEntry, EntriesForRun } from "../../src/engine/sync-logs/types.ts";
import type { DestinationRecord, Operation } from "../../src/sdk/destination.ts";
import type { Decision, MemoryDestination } from "./memory-destination.ts";

type Pending = Omit<ChangelogEntry, "runId">;

/**
 * A changelog built from what the destination saw (the shape src/state/changelog-store.ts
 * keeps): one entry per record per run, its last decision and its attempts. Entries recorded
 * since the previous run are the next asked-for run's; a run asked for again (a retried load)
 * gets the same entries.
 */
export class RecordedChangelog {
  private current = new Map<string, Pending>();
  private readonly byRun = new Map<string, ChangelogEntry[]>();
  private readonly seen = new Set<string>();
  /** Each record's outcome (set this, not the destination's `decide`, which records through it). */
  decide: (record: DestinationRecord, operation: Operation) => Decision = () => "ok";

  constructor(destination: MemoryDestination, sync = "people") {
    destination.decide = (record: DestinationRecord, operation: Operation): Decision => {
      const decision = this.decide(record, operation);
      const before = this.current.get(record.key);
      this.current.set(record.key, {
        sync,
        key: record.key,
        operation: operation === "delete" ? "remove" : this.seen.has(record.key) ? "change" : "add",
        outcome: decision,
        code: decision === "ok" ? null : decision === "reject" ? "INVALID" : "busy",
        reason: decision === "ok" ? null : decision === "reject" ? `record ${record.key} is invalid` : "try again",
        remoteId: decision === "ok" && operation !== "delete" ? `remote-${record.key}` : null,
        attempts: (before?.attempts ?? 0) + 1,
        at: new Date().toISOString(),
      });
      return decision;
    };
  }

  readonly entries: EntriesForRun = async function* (this: RecordedChangelog, runId: string) {
    let entries = this.byRun.get(runId);
    if (!entries) {
      entries = [...this.current.values()].map((entry) => ({ runId, ...entry }));
      for (const entry of entries) if (entry.outcome === "ok") this.seen.add(entry.key);
      this.byRun.set(runId, entries);
      this.current = new Map();
    }
    // Pages of 4, as a cursor would give them.
    for (let i = 0; i < entries.length; i += 4) yield entries.slice(i, i + 4);
  }.bind(this);
}
