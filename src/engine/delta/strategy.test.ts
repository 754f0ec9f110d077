import { afterEach, describe, expect, it } from "vitest";
import { Harness, type HarnessOptions, people } from "../../../test/support/harness.ts";
import { silentLogger } from "../../sdk/logger.ts";
import type { SourceDefinition } from "../../sdk/source.ts";
import { JournalStore } from "../../state/journal-store.ts";
import { StagingArea } from "../../state/staging-area.ts";
import type { EngineSync } from "../run/engine.ts";
import { emptyCounts } from "../shared/counts.ts";
import { chooseDelta } from "./choose-delta.ts";
import { compareIdentity, type IdentityChange } from "./identity.ts";
import { capabilitiesOf, type DeltaName, type DeltaRun, type OrderedReader } from "./strategy.ts";

/**
 * The delta seam against a real DuckDB model and real SQLite state: which strategy a run
 * gets for which sync and source, and that each one, behind the same interface, plans the
 * delta a run would.
 */
let harness: Harness | undefined;
afterEach(async () => harness?.close());

async function start(options: HarnessOptions = {}): Promise<Harness> {
  harness = new Harness(options);
  await harness.setup();
  await harness.sql(people(1, 20));
  return harness;
}

function deltaRun(sync: EngineSync, h: Harness, options: Partial<DeltaRun> = {}): DeltaRun {
  return {
    db: h.state.sqlite,
    source: sync.source,
    logger: silentLogger,
    identity: sync.identity,
    change: compareIdentity(h.state.sqlite, sync.spec.name, sync.identity),
    fullResync: false,
    dryRun: false,
    signal: new AbortController().signal,
    ...options,
  };
}

const withoutOrderedRead = ({ readOrdered: _ordered, ...source }: SourceDefinition<unknown>) => source;
// A SQL source other than DuckDB that offers the ordered read (and no warehouse access).
const anotherSqlSource = ({ warehouse: _warehouse, ...source }: SourceDefinition<unknown>) => ({
  ...source,
  name: "another-sql",
});

describe("chooseDelta picks one strategy per run from the sync and the source", () => {
  type Run = { fullResync?: boolean; change?: IdentityChange; synced?: boolean };
  // [case, harness, run, the run's strategy, a dry run's when it differs]
  const table: Array<[string, HarnessOptions, Run, DeltaName, DeltaName?]> = [
    ["local diff, a source with an ordered read", {}, { synced: true }, "ordered-merge"],
    [
      "local diff, any SQL source with an ordered read",
      { wrapSource: anotherSqlSource },
      { synced: true },
      "ordered-merge",
    ],
    ["a first sync streams the model; its dry run plans as usual", {}, {}, "first-sync", "ordered-merge"],
    [
      "a first sync from any SQL source with an ordered read",
      { wrapSource: anotherSqlSource },
      {},
      "first-sync",
      "ordered-merge",
    ],
    ["local diff, a source without an ordered read", { wrapSource: withoutOrderedRead }, {}, "lookup"],
    ["a full resync compares nothing", {}, { fullResync: true, synced: true }, "lookup"],
    ["a first sync asked as a full resync", {}, { fullResync: true }, "lookup"],
    ["a changed target compares nothing", {}, { change: "target", synced: true }, "lookup"],
    ["diff: warehouse", { diff: "warehouse" }, {}, "warehouse"],
    ["diff: warehouse, a full resync", { diff: "warehouse" }, { fullResync: true }, "warehouse"],
    ["diff: warehouse, a changed target", { diff: "warehouse" }, { change: "target" }, "warehouse"],
  ];
  it.each(table)("%s", async (_case, options, { synced, ...run }, expected, expectedDry = expected) => {
    const h = await start(options);
    if (synced) expect((await h.run()).status).toBe("succeeded");
    const sync = h.sync();
    for (const dryRun of [false, true]) {
      const delta = chooseDelta(sync.spec, capabilitiesOf(sync.source), deltaRun(sync, h, { ...run, dryRun }));
      expect(delta.name).toBe(dryRun ? expectedDry : expected);
    }
  });
});

describe("each strategy plans a run's delta behind the same interface", () => {
  it("lookups and the ordered merge stage the same delta; only the merge reads in order", async () => {
    const h = await start();
    await h.run();
    await h.sql(
      `UPDATE people SET name = 'Renamed' WHERE id IN (2, 3); DELETE FROM people WHERE id = 4; ${people(21, 22)}`,
    );
    const sync = h.sync();
    let orderedReads = 0;
    const ordered = capabilitiesOf(sync.source).orderedRead!;
    const counting: OrderedReader = (ctx, model, request) => {
      orderedReads++;
      return ordered(ctx, model, request);
    };
    const planned = [];
    for (const capabilities of [{ orderedRead: counting }, {}]) {
      const delta = chooseDelta(sync.spec, capabilities, deltaRun(sync, h, { dryRun: true }));
      const staging = new StagingArea(h.state.sqlite, `t_${delta.name.replace("-", "_")}`);
      const counts = emptyCounts();
      await delta.prepare();
      const result = await delta.plan(staging, counts);
      expect(await delta.commit()).toBeUndefined();
      planned.push({
        counts,
        snapshotSize: result.snapshotSize,
        changed: staging.sample("changed", 10).map(({ key, fields }) => ({ key, fields })),
      });
      staging.drop();
    }
    expect(orderedReads).toBe(1);
    expect(planned[0]).toEqual(planned[1]);
    expect(planned[0]!.counts.planned).toEqual({ added: 2, changed: 2, removed: 1 });
    expect(planned[0]!.snapshotSize).toBe(20);
  });

  it("a run records the identity once the model was read; a dry run records nothing", async () => {
    const h = await start();
    const sync = h.sync();
    const plan = async (dryRun: boolean) => {
      const delta = chooseDelta(sync.spec, capabilitiesOf(sync.source), deltaRun(sync, h, { dryRun }));
      const staging = new StagingArea(h.state.sqlite, `t_${dryRun}`);
      await delta.prepare();
      await delta.plan(staging, emptyCounts());
      await delta.commit();
      staging.drop();
    };
    await plan(true);
    expect(compareIdentity(h.state.sqlite, "people", sync.identity)).toBe("new");
    await plan(false);
    expect(compareIdentity(h.state.sqlite, "people", sync.identity)).toBe("same");
  });

  it("the warehouse diff commits its journal in the warehouse; a dry run journals nothing", async () => {
    const h = await start({ diff: "warehouse" });
    const sync = h.sync();
    const counts = emptyCounts();
    const dry = chooseDelta(sync.spec, capabilitiesOf(sync.source), deltaRun(sync, h, { dryRun: true }));
    const staging = new StagingArea(h.state.sqlite, "t_dry");
    await dry.prepare();
    await dry.plan(staging, counts);
    staging.drop();
    expect(counts.planned.added).toBe(20);
    expect(new JournalStore(h.state.sqlite, "people").pendingCount()).toBe(0);

    const delta = chooseDelta(sync.spec, capabilitiesOf(sync.source), deltaRun(sync, h));
    const run = new StagingArea(h.state.sqlite, "t_run");
    await delta.prepare();
    await delta.plan(run, emptyCounts());
    run.drop();
    const journal = new JournalStore(h.state.sqlite, "people");
    expect(journal.pendingCount()).toBe(20);
    expect(await delta.commit()).toBeUndefined();
    expect(journal.pendingCount()).toBe(0);
  });
});

describe("local runs and warehouse code", () => {
  it("an ordinary local run never touches warehouse state", async () => {
    const h = await start();
    expect((await h.run()).status).toBe("succeeded");
    expect((await h.run()).status).toBe("succeeded");
    const journal = new JournalStore(h.state.sqlite, "people");
    expect(journal.location()).toBeUndefined();
    expect(journal.pendingCount()).toBe(0);
  });

  it("the first local run after warehouse mode carries the warehouse's snapshot over in prepare", async () => {
    const h = await start({ diff: "warehouse" });
    expect((await h.run()).status).toBe("succeeded");
    const journal = new JournalStore(h.state.sqlite, "people");
    expect(journal.location()?.location).toBe("warehouse");
    const warehouseSync = h.sync();
    const sync = {
      ...warehouseSync,
      spec: { ...warehouseSync.spec, diff: { mode: "local" as const, schema: "syncline" } },
    };

    // A dry run plans against the local state as it is and moves nothing.
    const dry = chooseDelta(sync.spec, capabilitiesOf(sync.source), deltaRun(sync, h, { dryRun: true }));
    await dry.prepare();
    expect(journal.location()?.location).toBe("warehouse");

    const delta = chooseDelta(sync.spec, capabilitiesOf(sync.source), deltaRun(sync, h));
    expect(delta.name).toBe("ordered-merge");
    await delta.prepare();
    expect(journal.location()?.location).toBe("local");
    expect(journal.localSnapshotCount()).toBe(20);
    // Carried hashes differ from any real one: every record is sent once more.
    const staging = new StagingArea(h.state.sqlite, "t_after");
    const counts = emptyCounts();
    await delta.plan(staging, counts);
    staging.drop();
    expect(counts.planned).toEqual({ added: 0, changed: 20, removed: 0 });
  });
});
