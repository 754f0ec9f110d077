/**
 * Plain reads and writes on a state file, for tests, the bench and operators' tools that look at
 * what is stored. Tests assert against the stored rows independently of the engine's stores (a
 * store that wrote the wrong thing would read it back the same way), so these are deliberately
 * not the stores: plain SQL, rows as stored (snake_case columns), in a fixed order. The writes
 * plant state a test starts from, or damage it the way a crash or an operator would.
 * They keep all SQL on state tables in src/state.
 */
export * from "./alerts.ts";
export * from "./changelog.ts";
export * from "./ledger.ts";
export * from "./migrations.ts";
export * from "./row-count.ts";
export * from "./runs.ts";
export * from "./sequence-runs.ts";
export * from "./snapshots.ts";
export * from "./staging.ts";
export * from "./state-file.ts";
