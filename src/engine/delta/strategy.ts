import type Database from "better-sqlite3";
import type { Logger } from "../../sdk/logger.ts";
import type { OrderedRead, OrderedReadRequest } from "../../sdk/ordered-read.ts";
import type { Model, SourceContext } from "../../sdk/source.ts";
import type { StagingArea } from "../../state/staging-area.ts";
import type { Change, RunCounts } from "../shared/counts.ts";
import type { SourceHandle } from "../shared/source-handle.ts";
import type { IdentityChange, SyncIdentity } from "./identity.ts";
import type { PlanResult } from "./planner.ts";
import type { StagedRecord } from "./staging.ts";

export type DeltaName = "lookup" | "ordered-merge" | "first-sync" | "warehouse";

/**
 * One way to compute a run's delta (capability 1), chosen once per run by `chooseDelta`
 * (choose-delta.ts). Whatever the strategy, the delta lands in the run's staging table, so the
 * delete guard, the sink and the ledger never know which one computed it. A run calls
 * prepare, then plan, then — once it has ended, however it ended — commit; a dry run calls
 * prepare and plan only, and nothing it does is kept.
 */
export interface DeltaStrategy {
  readonly name: DeltaName;
  /** Before the model is read: the snapshot brought to where this strategy keeps it. */
  prepare(): Promise<void>;
  /** Stages the delta and counts it; `onProgress` as rows are read. */
  plan(staging: StagingArea, counts: RunCounts, onProgress?: () => void): Promise<PlanResult>;
  /**
   * Optional, after `plan`: the planned records of these kinds of change, when the strategy
   * streams them instead of staging them (a first sync); undefined: the sink reads the staging table.
   */
  pages?(changes: readonly Change[]): AsyncIterable<StagedRecord[]> | undefined;
  /**
   * After the run, on every outcome: what the sink committed locally made durable where the
   * strategy keeps its snapshot. Returns the error instead of throwing (the run then fails,
   * unless it already failed or was stopped).
   */
  commit(): Promise<unknown>;
}

/** What a strategy needs from the run (or the dry run) that chose it. */
export interface DeltaRun {
  db: Database.Database;
  source: SourceHandle;
  logger: Logger;
  identity: SyncIdentity;
  /** How the identity differs from the snapshot's (compareIdentity), read before choosing. */
  change: IdentityChange;
  fullResync: boolean;
  /** A dry run (`plan`, the console's preview): no identity recorded, no snapshot moved or committed. */
  dryRun: boolean;
  /** Stops reading and planning (cancel, shutdown, the run's end). */
  signal: AbortSignal;
  /** Aborts only the commit, which must finish even after a cancel (a shutdown past its grace). */
  commitSignal?: AbortSignal | undefined;
  /** Wraps each stream read from the model (the run's `sync.read` span). */
  traceRead?: (<T extends { readonly length: number }>(pages: AsyncIterable<T>) => AsyncIterable<T>) | undefined;
  /** Throws when the model lacks a column the sync names: checked before a strategy resets a snapshot. */
  verifyModel?: (() => Promise<void>) | undefined;
}

/** The source's ordered digest read (sdk/ordered-read.ts), bound to its plugin. */
export type OrderedReader = (
  ctx: SourceContext<unknown>,
  model: Model,
  request: OrderedReadRequest,
) => Promise<OrderedRead | undefined>;

/** What a source offers the delta beyond reading its model. */
export interface DeltaCapabilities {
  /** Any source that can read its keys ordered with their hashes gets the ordered merge. */
  orderedRead?: OrderedReader | undefined;
}

/**
 * A source's capabilities, from its plugin. The ordered read is the plugin's own today; a
 * SQL source could equally be given one built from its warehouse dialect, and the choice of
 * strategy would follow without further change.
 */
export function capabilitiesOf(source: SourceHandle): DeltaCapabilities {
  const plugin = source.plugin;
  return { orderedRead: plugin.readOrdered?.bind(plugin) };
}
