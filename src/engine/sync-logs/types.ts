/**
 * One operation of a run on one record, as the state's changelog keeps it (the shape of
 * src/state/changelog-store.ts, wired in by the host). Declared here so that the loader
 * depends on the shape only.
 */
export interface ChangelogEntry {
  runId: string;
  sync: string;
  key: string;
  operation: "add" | "change" | "remove";
  outcome: "ok" | "retry" | "reject";
  code: string | null;
  reason: string | null;
  remoteId: string | null;
  attempts: number;
  /** ISO 8601. */
  at: string;
}

/** A run's changelog, page by page (the store's `forRun` cursor). */
export type EntriesForRun = (runId: string) => AsyncIterable<ChangelogEntry[]>;

/** A sync's `syncLogs`, resolved: the schema (dataset) the log tables live in. */
export interface SyncLogsSpec {
  schema: string;
}

/** No changelog: the loader still writes the run and the ledger's failing records. */
export const noEntries: EntriesForRun = async function* () {};

/** What became of one run's log load (for metrics). */
export interface SyncLogsOutcome {
  sync: string;
  runId: string;
  outcome: "loaded" | "failed";
  /** Redacted, for a failure. */
  error?: string | undefined;
  /** Rows loaded: runs, changelog, snapshot. */
  rows?: { runs: number; changelog: number; snapshot: number } | undefined;
}
