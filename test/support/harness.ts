import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import webhook from "../../plugins/webhook/index.ts";
import { DEFAULTS } from "../../src/config/defaults.ts";
import { resolveCapabilities } from "../../src/config/resolve.ts";
import { resolveDeleteGuard } from "../../src/config/resolve-sync.ts";
import type { SyncConfig } from "../../src/config/schema.ts";
import { identityOf } from "../../src/engine/delta/identity.ts";
import { Engine, type EngineSync } from "../../src/engine/run/engine.ts";
import type { Mode, SyncSpec } from "../../src/engine/shared/sync-spec.ts";
import type { InspectorSettings } from "../../src/engine/sink/inspector.ts";
import { DestinationLimiter } from "../../src/engine/sink/limiter.ts";
import type { EntriesForRun, SyncLogsSpec } from "../../src/engine/sync-logs/types.ts";
import type { DestinationDefinition, DiscoveredObject } from "../../src/sdk/destination.ts";
import { createHttpClient } from "../../src/sdk/http.ts";
import { type Logger, silentLogger } from "../../src/sdk/logger.ts";
import type { SourceDefinition } from "../../src/sdk/source.ts";
import { openState, type StateDatabase } from "../../src/state/database.ts";
import { ledgerRows } from "../../src/state/inspect/index.ts";
import type { RunOptions, RunRecord } from "../../src/state/run-store.ts";
import { DuckDBFileBackend, type WarehouseBackend } from "./backends.ts";
import { MemoryDestination } from "./memory-destination.ts";
import { syncSpec } from "./sync-spec.ts";

export interface HarnessOptions {
  mode?: Mode;
  /** Send to a real HTTP receiver through the webhook plugin instead of the in-memory destination. */
  webhook?: { url: string; maxRecords?: number; timeoutMs?: number; concurrency?: number };
  /** Wrap the source (to inject faults into the stream). */
  wrapSource?: (source: SourceDefinition<unknown>) => SourceDefinition<unknown>;
  /** Where the diff is computed (default local). */
  diff?: "local" | "warehouse";
  /** The warehouse holding the model (default: a DuckDB file in the harness's directory). */
  backend?: () => WarehouseBackend;
  maxRecords?: number;
  maxBytes?: number;
  /** Calls the in-memory destination allows in flight (default 2). */
  concurrency?: number;
  /** The run's wait budget (default DEFAULTS.sink.maxRateLimitWaitMs). */
  maxWaitMs?: number;
  /** The engine's logger (default: silent). */
  logger?: Logger;
  deleteGuard?: SyncConfig["deleteGuard"];
  primaryKey?: string[];
  sql?: string;
  mapping?: Array<[string, string]>;
  /** sendChangedFieldsOnly (resolved: the fields always sent); the in-memory destination then updates partially. */
  changedFieldsOnly?: { alwaysSend: string[] };
  nulls?: "send" | "skip";
  /** The in-memory destination's updates change only the fields sent (default: when changedFieldsOnly is set). */
  partialUpdate?: boolean;
  /** Gives the in-memory destination a `discover` (its fields' types). */
  discover?: () => Promise<DiscoveredObject[]>;
  validateMapping?: boolean;
  /** Load each run's logs into the warehouse (docs/sync-logs.md), with this changelog. */
  syncLogs?: SyncLogsSpec;
  entries?: EntriesForRun;
  /** The sync's changelog switches (default: on, no values). */
  changelog?: SyncSpec["changelog"];
  /** The API inspector (default: 100 calls, no bodies). */
  inspector?: InspectorSettings;
  /** The destination's redaction (default: none). */
  redact?: (text: string) => string;
}

/**
 * A real warehouse (a DuckDB file by default, or another backend) with table `people`, real
 * SQLite state, the real engine, and an in-memory destination the test controls. With
 * `diff: "warehouse"` the sync keeps its snapshot in the warehouse.
 */
export class Harness {
  readonly dir = mkdtempSync(join(tmpdir(), "syncline-test-"));
  readonly warehouse = join(this.dir, "warehouse.duckdb");
  readonly destination = new MemoryDestination();
  readonly backend: WarehouseBackend;
  state!: StateDatabase;
  engine!: Engine;
  private readonly options: HarnessOptions;

  constructor(options: HarnessOptions = {}) {
    this.options = { ...options };
    this.backend = options.backend?.() ?? new DuckDBFileBackend();
  }

  async setup(initialSql = "CREATE TABLE people (id INTEGER, email VARCHAR, name VARCHAR, version INTEGER)") {
    await this.backend.open(this.dir);
    await this.sql(initialSql);
    this.state = openState(join(this.dir, "state.db"));
    this.engine = this.newEngine();
    return this;
  }

  /** Restarts the engine with changed options (same state, warehouse and destination), as after a config edit. */
  async reconfigure(options: Partial<HarnessOptions>): Promise<void> {
    await this.engine.close(1000);
    Object.assign(this.options, options);
    this.engine = this.newEngine();
  }

  private newEngine(): Engine {
    return new Engine({
      db: this.state.sqlite,
      syncs: new Map([["people", this.sync()]]),
      logger: this.options.logger ?? silentLogger,
      syncLogs: { entries: this.options.entries },
      changelogRetentionDays: DEFAULTS.changelog.retentionDays,
    });
  }

  sync(): EngineSync {
    const spec = syncSpec({
      name: "people",
      model: { kind: "sql", sql: this.options.sql ?? "SELECT * FROM people" },
      primaryKey: this.options.primaryKey ?? ["id"],
      object: "people",
      mode: this.options.mode,
      mapping: this.options.mapping ?? [
        ["email", "email"],
        ["name", "name"],
        ["version", "version"],
      ],
      deleteGuard: resolveDeleteGuard(this.options.deleteGuard),
      maxWaitMs: this.options.maxWaitMs,
      validateMapping: this.options.validateMapping,
      changelog: this.options.changelog,
      diff: this.options.diff && { mode: this.options.diff, schema: this.backend.diffSchema },
      changedFieldsOnly: this.options.changedFieldsOnly,
      nulls: this.options.nulls,
      syncLogs: this.options.syncLogs,
    });
    const { plugin, config } = this.destinationPlugin();
    // Warehouse mode and sync logs write into the warehouse: a DuckDB file opens read-write.
    const source = this.backend.source(this.options.diff === "warehouse" || this.options.syncLogs !== undefined);
    const declared = typeof plugin.capabilities === "function" ? plugin.capabilities(config) : plugin.capabilities;
    const capabilities = resolveCapabilities(declared);
    return {
      spec,
      source: {
        name: "warehouse",
        plugin: (this.options.wrapSource ?? ((p) => p))(source.plugin),
        config: source.config,
        state: new Map(),
        baseDir: this.dir,
      },
      destination: {
        name: "memory",
        plugin,
        config,
        capabilities,
        limiter: new DestinationLimiter({ concurrency: declared.concurrency ?? 1 }),
        state: new Map(),
        baseDir: this.dir,
        http: (signal) => createHttpClient({ signal, timeoutMs: capabilities.timeoutMs }),
        redact: this.options.redact ?? ((text) => text),
        inspector: this.options.inspector ?? { calls: 100, bodies: false },
      },
      identity: identityOf(spec, { name: "memory", type: "memory" }),
    };
  }

  private destinationPlugin(): { plugin: DestinationDefinition<unknown>; config: unknown } {
    const hook = this.options.webhook;
    if (hook) {
      const config = {
        url: hook.url,
        maxRecords: hook.maxRecords ?? 25,
        maxBytes: 1_000_000,
        concurrency: hook.concurrency ?? 2,
        timeoutMs: hook.timeoutMs ?? 5_000,
      };
      return { plugin: webhook as DestinationDefinition<unknown>, config };
    }
    const plugin = this.destination.plugin({
      maxRecords: this.options.maxRecords,
      maxBytes: this.options.maxBytes,
      concurrency: this.options.concurrency,
      partialUpdate: this.options.partialUpdate ?? this.options.changedFieldsOnly !== undefined,
    });
    const discover = this.options.discover;
    return { plugin: { ...(plugin as DestinationDefinition<unknown>), ...(discover ? { discover } : {}) }, config: {} };
  }

  /** Runs SQL against the warehouse (between runs). */
  sql(statements: string): Promise<void> {
    return this.backend.sql(statements);
  }

  run(options: RunOptions = {}): Promise<RunRecord> {
    return this.engine.runNow("people", options);
  }

  /** What the model holds now: key → mapped fields, as the destination should hold them. */
  model(): Promise<Map<string, Record<string, unknown>>> {
    return this.backend.model();
  }

  ledger(): Array<{ key: string; attempts: number; error_code: string; reason: string }> {
    return ledgerRows(this.state.sqlite).map(({ key, attempts, error_code, reason }) => ({
      key,
      attempts,
      error_code,
      reason,
    }));
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.engine?.close(1000);
    this.state?.close();
    await this.backend.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function people(from: number, to: number, version = 1): string {
  return `INSERT INTO people SELECT i, 'p' || i || '@example.com', 'Person ' || i, ${version} FROM range(${from}, ${to + 1}) t(i)`;
}
