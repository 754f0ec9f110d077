import { DEFAULTS } from "../../src/config/defaults.ts";
import { resolveCapabilities } from "../../src/config/resolve.ts";
import { identityOf } from "../../src/engine/delta/identity.ts";
import type { SequenceSpec } from "../../src/engine/ordering/sequence-spec.ts";
import { Sequencer } from "../../src/engine/ordering/sequencer.ts";
import { Engine, type EngineSync } from "../../src/engine/run/engine.ts";
import { DestinationLimiter } from "../../src/engine/sink/limiter.ts";
import type { DestinationDefinition } from "../../src/sdk/destination.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import { Harness, people } from "./harness.ts";
import { MemoryDestination } from "./memory-destination.ts";

export type SequenceInput = Omit<SequenceSpec, "name" | "onFailure"> & Partial<Pick<SequenceSpec, "onFailure">>;

/**
 * Several syncs over the real harness (a DuckDB warehouse with `people`, real SQLite state),
 * each with an in-memory destination of its own the test controls, the real engine and the
 * real sequencer. A sync with `sql` reads that query instead (a bad one fails its runs).
 */
export class SequenceHarness {
  readonly h = new Harness();
  readonly destinations = new Map<string, MemoryDestination>();
  engine!: Engine;
  sequencer!: Sequencer;
  private readonly syncs: Record<string, { sql?: string }>;
  private readonly sequences: Record<string, SequenceInput>;

  constructor(syncs: Record<string, { sql?: string }>, sequences: Record<string, SequenceInput>) {
    this.syncs = syncs;
    this.sequences = sequences;
    for (const name of Object.keys(syncs)) this.destinations.set(name, new MemoryDestination());
  }

  async setup(rows = 5): Promise<this> {
    await this.h.setup();
    await this.h.sql(people(1, rows));
    this.build();
    return this;
  }

  /** A restart: a new engine and sequencer over the same state file. */
  async restart(): Promise<void> {
    await this.engine.close(1000);
    await this.sequencer.close();
    this.build();
  }

  destination(sync: string): MemoryDestination {
    return this.destinations.get(sync)!;
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.engine?.close(1000);
    await this.sequencer?.close();
    await this.h.close();
  }

  private build(): void {
    const syncs = new Map<string, EngineSync>();
    for (const [name, options] of Object.entries(this.syncs)) syncs.set(name, this.sync(name, options.sql));
    this.engine = new Engine({
      db: this.h.state.sqlite,
      syncs,
      logger: silentLogger,
      changelogRetentionDays: DEFAULTS.changelog.retentionDays,
    });
    const sequences = new Map(
      Object.entries(this.sequences).map(([name, input]) => [name, { onFailure: "stop" as const, ...input, name }]),
    );
    this.sequencer = new Sequencer({ engine: this.engine, db: this.h.state.sqlite, sequences, logger: silentLogger });
  }

  private sync(name: string, sql: string | undefined): EngineSync {
    const base = this.h.sync();
    const spec = {
      ...base.spec,
      name,
      object: name,
      model: { kind: "sql" as const, sql: sql ?? "SELECT * FROM people" },
    };
    const plugin = this.destination(name).plugin() as DestinationDefinition<unknown>;
    const capabilities = resolveCapabilities(
      plugin.capabilities as Exclude<typeof plugin.capabilities, (config: unknown) => unknown>,
    );
    return {
      spec,
      source: base.source,
      destination: {
        ...base.destination,
        name,
        plugin,
        capabilities,
        limiter: new DestinationLimiter({ concurrency: 2 }),
      },
      identity: identityOf(spec, { name, type: "memory" }),
    };
  }
}
