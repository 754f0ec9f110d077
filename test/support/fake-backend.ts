import { silentLogger } from "../../src/sdk/logger.ts";
import type { SourceContext, SourceDefinition } from "../../src/sdk/source.ts";
import type { DuckStore } from "../../src/sdk/testing/index.ts";
import type { CanonicalRow } from "../../src/sdk/values.ts";
import { type ModelRows, modelRows, uniqueName, type WarehouseBackend } from "./backends.ts";

/**
 * A warehouse protocol fake (Snowflake or BigQuery) as the harness's warehouse: the fake runs
 * SQL on DuckDB, so the suite's SQL goes to its store as written, while the engine talks to it
 * through the real driver. Harnesses share the fake one after another: each recreates `people`
 * and gets its own schema for Syncline's tables.
 */
export class FakeBackend implements WarehouseBackend {
  readonly name: string;
  readonly diffSchema = uniqueName("syncline");
  private readonly store: DuckStore;
  private readonly plugin: SourceDefinition<unknown>;
  private readonly config: unknown;
  private readonly state = new Map<string, unknown>();

  constructor(name: string, store: DuckStore, plugin: SourceDefinition<unknown>, config: unknown) {
    this.name = name;
    this.store = store;
    this.plugin = plugin;
    this.config = config;
  }

  async open(): Promise<void> {
    await this.store.exec("DROP TABLE IF EXISTS people");
  }

  source() {
    return { plugin: this.plugin, config: this.config };
  }

  sql(statements: string): Promise<void> {
    return this.store.exec(statements);
  }

  async model(): Promise<ModelRows> {
    return modelRows(await this.rows("SELECT id, email, name, version FROM people"));
  }

  /** Reads through the real driver (values as the engine sees them). */
  async rows(sql: string): Promise<Array<Record<string, unknown>>> {
    const ctx: SourceContext<unknown> = {
      config: this.config,
      logger: silentLogger,
      signal: new AbortController().signal,
      state: this.state,
      baseDir: ".",
    };
    const out: CanonicalRow[] = [];
    const columns = (await this.plugin.columns(ctx, { kind: "sql", sql })).map((c) => c.name);
    for await (const rows of this.plugin.read(ctx, { kind: "sql", sql }, { columns })) out.push(...rows);
    return out;
  }

  async close(): Promise<void> {
    await this.store.exec(`DROP TABLE IF EXISTS people; DROP SCHEMA IF EXISTS "${this.diffSchema}" CASCADE`);
    await this.plugin.close?.({
      config: this.config,
      logger: silentLogger,
      signal: new AbortController().signal,
      state: this.state,
      baseDir: ".",
    });
  }
}
