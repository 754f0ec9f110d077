import type Database from "better-sqlite3";
import { AlertStore } from "../state/alert-store.ts";
import { CallStore } from "../state/call-store.ts";
import { ChangelogStore } from "../state/changelog-store.ts";
import { LedgerStore } from "../state/ledger-store.ts";
import { SnapshotStore } from "../state/snapshot-store.ts";
import { SyncLogStore } from "../state/sync-log-store.ts";

/** The state stores the routes, the console and the metrics read, built once per service over its state file. */
export interface AppStores {
  ledger: LedgerStore;
  snapshots: SnapshotStore;
  changelog: ChangelogStore;
  calls: CallStore;
  alerts: AlertStore;
  syncLogs: SyncLogStore;
}

export function appStores(sqlite: Database.Database): AppStores {
  return {
    ledger: new LedgerStore(sqlite),
    snapshots: new SnapshotStore(sqlite),
    changelog: new ChangelogStore(sqlite),
    calls: new CallStore(sqlite),
    alerts: new AlertStore(sqlite),
    syncLogs: new SyncLogStore(sqlite),
  };
}
