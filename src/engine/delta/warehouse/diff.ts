import type Database from "better-sqlite3";
import type { Logger } from "../../../sdk/logger.ts";
import { JournalStore } from "../../../state/journal-store.ts";
import type { StagingArea } from "../../../state/staging-area.ts";
import type { RunCounts } from "../../shared/counts.ts";
import type { SourceHandle } from "../../shared/source-handle.ts";
import type { SyncSpec } from "../../shared/sync-spec.ts";
import type { IdentityChange } from "../identity.ts";
import type { PlanResult } from "../plan-result.ts";
import { WarehouseClient } from "./client.ts";
import { planInWarehouse } from "./plan.ts";

export interface WarehouseDiffInputs {
  db: Database.Database;
  spec: SyncSpec;
  source: SourceHandle;
  logger: Logger;
}

/**
 * A run in warehouse mode, around the ordinary sink:
 *
 * 1. prepare — create the managed schema and tables; commit a journal an interrupted run left
 *    behind; on a first run after local mode, seed the warehouse snapshot from the local one;
 * 2. plan — the diff in SQL, only the delta streamed into staging and journaled;
 * 3. (the sink delivers and commits each batch locally, exactly as in local mode)
 * 4. commit — load the journal's final states into the warehouse and apply them in one
 *    transaction; then forget the local journal.
 */
export class WarehouseDiff {
  readonly client: WarehouseClient;
  /** The same warehouse for the commit, which must finish even when the run was cancelled. */
  private readonly committer: WarehouseClient;
  private readonly inputs: WarehouseDiffInputs;
  private readonly journal: JournalStore;
  private prepared = false;

  /** `signal` stops planning (cancel, shutdown); `commitSignal` only aborts the commit when waiting is over. */
  constructor(
    inputs: WarehouseDiffInputs,
    signal: AbortSignal,
    commitSignal: AbortSignal = new AbortController().signal,
  ) {
    this.inputs = inputs;
    this.client = new WarehouseClient(inputs.source, inputs.spec, inputs.logger, signal);
    this.committer = new WarehouseClient(inputs.source, inputs.spec, inputs.logger, commitSignal);
    this.journal = new JournalStore(inputs.db, inputs.spec.name);
  }

  async prepare(change: IdentityChange): Promise<void> {
    const { client, journal, inputs } = this;
    const here = { location: "warehouse" as const, schema: client.schema };
    await client.ensureTables();
    if (change === "target") {
      await client.execute(client.statements.reset());
      journal.clear(here);
    } else {
      const marker = journal.location();
      const pending = journal.pendingCount();
      if (marker?.location === "local" || (!marker && pending === 0 && journal.localSnapshotCount() > 0)) {
        const rows = await client.loadJournal(journal.localSnapshot());
        await client.execute(client.statements.replaceWithJournal());
        journal.clear(here);
        inputs.logger.warn(
          { sync: inputs.spec.name, records: rows },
          "switched to warehouse mode: seeded the warehouse snapshot from the local one; every record is sent once more",
        );
      } else {
        if (marker && marker.schema !== client.schema) {
          inputs.logger.warn(
            { sync: inputs.spec.name, from: marker.schema, to: client.schema },
            "the managed schema changed: the snapshot in the new schema starts empty (a full resync)",
          );
        }
        if (pending > 0) {
          inputs.logger.warn({ sync: inputs.spec.name, keys: pending }, "committing the journal of an interrupted run");
          await this.apply(client);
        }
        journal.clear(here);
      }
    }
    this.prepared = true;
  }

  async plan(
    staging: StagingArea,
    counts: RunCounts,
    options: { fullResync?: boolean | undefined; onProgress?: () => void; dryRun?: boolean } = {},
  ): Promise<PlanResult> {
    const { db, spec, logger } = this.inputs;
    const result = await planInWarehouse(db, staging, spec, this.client, counts, {
      fullResync: options.fullResync,
      journal: options.dryRun ? undefined : this.journal,
      onProgress: options.onProgress,
    });
    // What left the warehouse: the delta, one row of counts, and duplicate keys if any were hidden.
    logger.info(
      { sync: spec.name, rowsFromWarehouse: Object.fromEntries(this.client.transferred) },
      "planned in the warehouse",
    );
    return result;
  }

  /** Applies the run's journal; returns the error instead of throwing (the journal stays for the next run). */
  async commit(): Promise<unknown> {
    if (!this.prepared) return undefined;
    try {
      await this.apply(this.committer);
      this.journal.clear();
      return undefined;
    } catch (error) {
      this.inputs.logger.error(
        { sync: this.inputs.spec.name, err: String(error) },
        "could not commit the snapshot in the warehouse; the next run commits it before planning",
      );
      return error;
    }
  }

  private async apply(client: WarehouseClient): Promise<void> {
    if (this.journal.pendingCount() === 0) return;
    await client.loadJournal(this.journal.pendingState());
    await client.execute(client.statements.applyJournal());
  }
}
