import type { RunCounts } from "../../engine/index.ts";
import type { ChangelogEntry } from "../../state/changelog-store.ts";
import type { RunOptions } from "../../state/run-store.ts";
import type { FailureView, RunView, SyncSummary } from "../schemas.ts";

/**
 * Everything the console shows or does, behind one interface: the pages read only from
 * here, never from the engine or the state directly. `engine-data.ts` implements it over
 * today's engine and state; the record changelog, alerts and the API inspector (issue 17)
 * plug into the methods that answer `Unavailable` until then, without touching the pages.
 */
export interface ConsoleData {
  overview(): SyncOverview[];
  sync(name: string): SyncDetail;
  /** Newest first, keyset-paginated by run id. */
  runs(sync: string, page: { limit: number; before?: string | undefined }): { runs: RunView[]; next: string | null };
  run(id: string): RunView | undefined;
  failures(sync: string, filter: FailureFilter, page: { limit: number; after?: string | undefined }): FailurePage;
  /** The whole ledger as CSV lines (header first), streamed. */
  failuresCsv(sync: string): Generator<string>;
  /** A dry run: nothing is sent or committed. */
  preview(sync: string, options: { fullResync: boolean; signal?: AbortSignal }): Promise<PreviewView>;
  trigger(sync: string, options: RunOptions): { run: RunView; coalesced: boolean };
  /** Cancels a queued run at once, a running one at its next batch boundary. */
  cancel(runId: string): RunView;
  /** Live events of a run until it finishes; returns the unsubscribe function. */
  watch(runId: string, listener: (event: RunEvent) => void): () => void;
  /** What Syncline knows about one record of a sync. */
  record(sync: string, key: string): RecordLookup;
  /** Per-record outcomes of one run (the changelog), the first DEFAULTS-sized page. */
  runRecords(runId: string, outcome?: Outcome): Available<ChangelogEntry[]>;
  alerts(): Available<AlertRule[]>;
  destinations(): DestinationSummary[];
  /** The last calls made to a destination (the API inspector, issue 17). */
  destinationCalls(name: string): Available<DestinationCall[]>;
}

/** Data that a later part of Syncline provides; until then, why it is not there. */
export type Available<T> = { available: true; rows: T } | { available: false; reason: string };

/** A sync as GET /v1/syncs shows it, with its recent runs for the chart. */
export interface SyncOverview extends SyncSummary {
  /** Up to 20 recent runs, oldest first. */
  recent: RunView[];
}

export interface SyncDetail extends SyncOverview {
  /** The sync's configuration with every secret value redacted. */
  config: Record<string, unknown>;
  /** A run of this sync in progress, if any. */
  active: RunView | null;
}

export interface FailureFilter {
  text?: string | undefined;
  errorClass?: string | undefined;
  runId?: string | undefined;
}

export interface FailurePage {
  /** Entries in the ledger, and how many match the filter. */
  total: number;
  matching: number;
  failures: FailureView[];
  next: string | null;
}

export interface PreviewSample {
  key: string;
  /** The values a run would send (the mapped fields). */
  after?: Record<string, unknown> | undefined;
  /** The values last delivered, when Syncline keeps them; the snapshot holds hashes only. */
  before?: Record<string, unknown> | undefined;
  /** The fields whose value differs between before and after: known when both are, or from the field hashes (sendChangedFieldsOnly). */
  changedFields?: string[] | undefined;
  remoteId?: string | null | undefined;
}

export interface PreviewView {
  sync: string;
  fullResync: boolean;
  counts: RunCounts;
  ms: number;
  samples: { added: PreviewSample[]; changed: PreviewSample[]; removed: PreviewSample[] };
  invalidSamples: Array<{ key: string | null; reason: string }>;
  /** Why a real run would stop before deleting, if it would. */
  deleteGuard: string | null;
  /** Whether earlier values are kept (so `before` can be shown); why not, if not. */
  beforeValues: Available<true>;
  /** The mapping checked against the destination's fields, when it can describe them. */
  mapping?: { problems: string[]; notes: string[] } | undefined;
  /** Records a run would reject unsent (values that do not convert to their field's type). */
  unsendable?: { count: number; samples: Array<{ key: string; reason: string }> } | undefined;
}

export type RunEvent =
  | { type: "progress"; phase: "planning" | "sending"; counts: RunCounts }
  | { type: "finished"; run: RunView };

export type Outcome = "ok" | "retry" | "reject";

/** One record's outcome in one run: the changelog row (src/state/changelog-store.ts). */
export type { ChangelogEntry };

export interface RecordLookup {
  sync: string;
  key: string;
  /** The snapshot: delivered and confirmed, or waiting to be resent. */
  snapshot: { confirmed: boolean; remoteId: string | null; deliveredAt: string } | null;
  /** The retry ledger entry while the destination has not accepted the record. */
  failure: FailureView | null;
  /** Every run that touched the record (the changelog). */
  history: Available<ChangelogEntry[]>;
}

export interface AlertRule {
  name: string;
  /** The sync it watches, or null for a global rule. */
  sync: string | null;
  condition: string;
  channels: string[];
  state: "ok" | "firing";
  since: string | null;
  lastNotifiedAt: string | null;
}

export interface DestinationSummary {
  name: string;
  type: string;
  syncs: string[];
}

export interface DestinationCall {
  at: string;
  method: string;
  /** With secrets removed. */
  url: string;
  status: number | null;
  ms: number;
  requestBytes: number;
  responseBytes: number;
  runId: string | null;
  batch: number | null;
  /** Why the call failed (no HTTP answer, or a non-HTTP write that threw). */
  error?: string | null | undefined;
}
