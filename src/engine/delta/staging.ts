/**
 * A run's staged delta: the table and its statements live in src/state/staging-area.ts; the
 * engine's capabilities name a staged record by these types.
 */
export type { StagedChange, StagedRecord } from "../../state/staging-area.ts";
