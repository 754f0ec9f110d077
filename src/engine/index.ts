/**
 * The engine's public entry: what the host, the service, the CLI and alerts may use. Everything
 * else under src/engine is internal to it and may change shape without their knowing.
 */

// 1. The delta: a sync's identity, which says when its snapshot no longer fits it.
export { identityOf, type SyncIdentity } from "./delta/identity.ts";
// 4. Error handling: a destination's texts are masked before the engine keeps them.
export { noRedaction } from "./ledger/redact-error.ts";
// 3. Ordering: the run queue's refusal, and sequences of syncs.
export { QueueFullError } from "./ordering/queue-full-error.ts";
export { SequenceRunningError, UnknownSequenceError } from "./ordering/sequence-errors.ts";
export type { SequenceSpec } from "./ordering/sequence-spec.ts";
export { Sequencer } from "./ordering/sequencer.ts";
export { Engine, type EngineEvents, type EngineSync } from "./run/engine.ts";
export { UnknownSyncError } from "./run/errors.ts";
export { verifyModelColumns } from "./run/model-columns.ts";
export { type Preview, preview } from "./run/preview.ts";
// The destination's fields.
export { type DiscoverCache, mappingReport } from "./schema/mapping-report.ts";
// The run: the engine, its counts and errors, a dry run, the model and source checks, tracing.
export { emptyCounts, type RunCounts, type Split, total } from "./shared/counts.ts";
export { type Gc, memoryReducingGc } from "./shared/gc.ts";
export { type SourceHandle, sourceContext } from "./shared/source-handle.ts";
export { type DiffSpec, type Mode, operationsNeeded, type SyncSpec } from "./shared/sync-spec.ts";
export { useTracingApi } from "./shared/tracing.ts";
// 2. The sink: a configured destination, its shared pacing, quotas and waits.
export { contextFor, type DestinationHandle } from "./sink/destination-handle.ts";
export { DestinationLimiter, type LimiterStats } from "./sink/limiter.ts";
export type { QuotaState } from "./sink/quota-state.ts";
export { duration, type Wait } from "./sink/waits.ts";
// Sync logs written into the warehouse.
export type { SyncLogsSpec } from "./sync-logs/types.ts";
