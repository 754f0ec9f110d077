import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { openSyncline, type Syncline } from "../../src/host/open.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import { type LedgerEntry, LedgerStore } from "../../src/state/ledger-store.ts";
import type { RunRecord } from "../../src/state/run-store.ts";

/** One row of the `people` model every connector test syncs. */
export interface Person {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
}

/**
 * A directory holding what a user would have: a DuckDB warehouse file (table `people`), a
 * `syncline.yaml` and the SQLite state, opened with the real config loader and engine.
 */
export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), "syncline-e2e-"));
  readonly configPath = join(this.dir, "syncline.yaml");
  readonly warehouse = join(this.dir, "warehouse.duckdb");
  private readonly opened: Syncline[] = [];

  /** Runs SQL against the warehouse file (between runs: the source opens it per read). */
  async sql(statements: string): Promise<void> {
    const instance = await DuckDBInstance.create(this.warehouse);
    const connection = await instance.connect();
    try {
      await connection.run(statements);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  /** Creates `people` with ids 1..n: p<i>@example.com, First<i>, Last<i>. */
  seed(rows: number): Promise<void> {
    return this.sql(`CREATE OR REPLACE TABLE people AS SELECT i::INTEGER AS id, 'p' || i || '@example.com' AS email,
      'First' || i AS first_name, 'Last' || i AS last_name FROM range(1, ${rows + 1}) t(i)`);
  }

  /** The model's rows, by id. */
  async people(): Promise<Map<number, Person>> {
    const instance = await DuckDBInstance.create(this.warehouse, { access_mode: "READ_ONLY" });
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll("SELECT id, email, first_name, last_name FROM people ORDER BY id");
      const rows = reader.getRowObjectsJS() as unknown as Person[];
      return new Map(rows.map((row) => [Number(row.id), { ...row, id: Number(row.id) }]));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  /**
   * Writes `syncline.yaml`: the warehouse as source `wh`, the given destination as `dest`,
   * and a sync `people` over the four columns of `people`, keyed by `id`.
   */
  writeConfig(options: {
    destination: string;
    object: string;
    mode?: "upsert" | "mirror";
    mapping: Record<string, string>;
    syncOptions?: string;
    batchSize?: number;
    /** More keys of the sync, as YAML lines at its level (e.g. "sendChangedFieldsOnly: true"). */
    syncKeys?: string[];
  }): void {
    const mapping = Object.entries(options.mapping)
      .map(([field, column]) => `      ${field}: ${column}`)
      .join("\n");
    writeFileSync(
      this.configPath,
      `state: ./state.db
sources:
  wh: { type: duckdb, path: ./warehouse.duckdb }
destinations:
  dest:
${options.destination
  .trim()
  .split("\n")
  .map((line) => `    ${line}`)
  .join("\n")}
syncs:
  people:
    source: wh
    model: { sql: "SELECT id, email, first_name, last_name FROM people" }
    primaryKey: id
    destination: dest
    object: ${options.object}
    mode: ${options.mode ?? "upsert"}
    deleteGuard: { maxPercent: 100 }
${options.batchSize ? `    batchSize: ${options.batchSize}\n` : ""}${(options.syncKeys ?? []).map((line) => `    ${line}\n`).join("")}${options.syncOptions ? `    options: ${options.syncOptions}\n` : ""}    mapping:
${mapping}
`,
    );
  }

  /** Opens Syncline on the config, as `syncline run` does (env replaces the process's). */
  async open(env: NodeJS.ProcessEnv = {}): Promise<Syncline> {
    const app = await openSyncline(this.configPath, { logger: silentLogger, env });
    this.opened.push(app);
    return app;
  }

  /** Closes `app` and opens Syncline again (after the user fixed the config or its env). */
  async reopen(app: Syncline, env: NodeJS.ProcessEnv = {}): Promise<Syncline> {
    this.opened.splice(this.opened.indexOf(app), 1);
    await app.close(1_000);
    return this.open(env);
  }

  async close(): Promise<void> {
    for (const app of this.opened.splice(0)) await app.close(1_000);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The sync's retry ledger, read as the failure report does. */
export function ledgerOf(app: Syncline, sync = "people"): LedgerEntry[] {
  return new LedgerStore(app.state.sqlite).list(sync, { limit: 100_000 });
}

/** A short account of a run, for assertion messages. */
export function describeRun(run: RunRecord): string {
  return JSON.stringify({ status: run.status, counts: run.counts, error: run.error });
}

/** Changes the first names of the given ids (a delta of `changed` records). */
export function renameSql(ids: readonly number[], prefix = "Renamed"): string {
  return `UPDATE people SET first_name = '${prefix}' || id WHERE id IN (${ids.join(", ")})`;
}
