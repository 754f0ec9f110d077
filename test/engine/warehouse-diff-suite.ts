import { afterEach, expect, it } from "vitest";
import { tablesFor } from "../../src/engine/delta/warehouse/names.ts";
import { preview } from "../../src/engine/run/preview.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import { type CountedTable, rowCount } from "../../src/state/inspect/index.ts";
import type { WarehouseBackend } from "../support/backends.ts";
import { Harness, type HarnessOptions, people } from "../support/harness.ts";
import { WarehouseSpy } from "../support/warehouse-spy.ts";

/**
 * What only warehouse mode has: the snapshot in the warehouse and nothing but the delta on the
 * wire, the duplicate check, committing the journal after an interruption (and twice), switching
 * modes, dry runs, quoting, and keys that need escaping on their way back into the warehouse.
 * Run for every warehouse by the semantics-warehouse-*.test.ts files.
 */
export function warehouseDiffSuite(backend: () => WarehouseBackend): void {
  let harness: Harness;
  afterEach(async () => harness?.close());

  async function start(options: HarnessOptions = {}, seed = people(1, 10)) {
    harness = new Harness({ diff: "warehouse", backend, ...options });
    await harness.setup();
    await harness.sql(seed);
    return harness;
  }
  const snapshotTable = (h: Harness) => {
    const { snapshot } = tablesFor("people", h.backend.diffSchema);
    return `"${snapshot.schema}"."${snapshot.name}"`;
  };
  const local = (h: Harness, table: CountedTable) => rowCount(h.state.sqlite, table, "people");

  it("keeps the snapshot in the warehouse and moves only the delta out of it", async () => {
    const spy = new WarehouseSpy();
    const h = await start(
      { mode: "mirror", deleteGuard: { maxPercent: 100 }, maxRecords: 100, wrapSource: spy.wrap },
      people(1, 1000),
    );
    const first = await h.run();
    expect(first.counts?.planned).toEqual({ added: 1000, changed: 0, removed: 0 });
    expect(spy.deltaRows()).toBe(1000);

    const mark = spy.queries.length;
    await h.sql(
      `UPDATE people SET version = 2 WHERE id % 100 = 0; DELETE FROM people WHERE id > 997; ${people(1001, 1002)}`,
    );
    const second = await h.run();
    expect(second.status).toBe("succeeded");
    expect(second.counts?.planned).toEqual({ added: 2, changed: 9, removed: 3 });
    expect(second.counts?.unchanged).toBe(988);
    expect(second.counts?.rowsRead).toBe(999);
    // Rows on the wire: the delta, one row of counts, nothing else.
    expect(spy.deltaRows(mark)).toBe(14);
    expect(spy.queries.slice(mark).reduce((sum, q) => sum + q.rows, 0)).toBe(15);
    expect(spy.ranDuplicateCheck(mark)).toBe(false);

    // SQLite holds no snapshot and no journal after the commit; the warehouse holds it all.
    expect(local(h, "snapshots")).toBe(0);
    expect(local(h, "warehouse_pending")).toBe(0);
    const snapshot = await h.backend.rows(`SELECT key, hash FROM ${snapshotTable(h)}`);
    expect(snapshot).toHaveLength(999);
    // An md5 in hex (the BigQuery fake's TO_HEX of DuckDB's hex md5 is twice as long).
    expect(snapshot.every((row) => /^([0-9a-f]{32}){1,2}$/.test(String(row.hash)))).toBe(true);
    expect(new Set(snapshot.map((row) => String(row.key)))).toEqual(new Set((await h.model()).keys()));
    expect(h.destination.records).toEqual(await h.model());
  });

  it("finds a duplicate key hidden among unchanged rows, and never sends it", async () => {
    const spy = new WarehouseSpy();
    const h = await start({ wrapSource: spy.wrap });
    await h.run();
    // An exact copy of row 5: both rows equal the snapshot, so the delta alone cannot show it.
    await h.sql(people(5, 5));
    let mark = spy.queries.length;
    const exact = await h.run();
    expect(spy.ranDuplicateCheck(mark)).toBe(true);
    expect(exact.counts?.invalid).toBe(2);
    expect(exact.counts?.unchanged).toBe(9);
    expect(exact.invalidSamples).toEqual([{ key: "5", reason: "duplicate primary key (2 rows)" }]);
    // A copy of row 6 with another value: one row changed, one not — still never sent.
    await h.sql(people(6, 6, 7));
    const writes = h.destination.writes.length;
    mark = spy.queries.length;
    const partial = await h.run();
    expect(spy.ranDuplicateCheck(mark)).toBe(true);
    expect(partial.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(partial.counts?.invalid).toBe(4);
    expect(h.destination.writes.length).toBe(writes);
    expect(h.destination.records.get("6")?.version).toBe(1);
  });

  it("commits an interrupted run's journal before planning the next run", async () => {
    const spy = new WarehouseSpy();
    const h = await start({ wrapSource: spy.wrap });
    let failCommit = true;
    spy.failExecute = (statements) => {
      if (failCommit && statements.some((s) => s.startsWith("DELETE FROM") && s.includes(" IN (SELECT"))) {
        throw new Error("connection lost during the commit");
      }
    };
    const first = await h.run();
    expect(first.status).toBe("failed");
    expect(first.error?.message).toContain("connection lost");
    expect(first.counts?.succeeded.added).toBe(10);
    expect(local(h, "warehouse_pending")).toBe(10);
    expect(local(h, "snapshots")).toBe(10);

    failCommit = false;
    const second = await h.run();
    expect(second.status).toBe("succeeded");
    expect(second.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(h.destination.writes).toHaveLength(10);
    expect(local(h, "warehouse_pending")).toBe(0);
  });

  it("applies a journal twice without harm (a crash after the warehouse commit, before SQLite forgot it)", async () => {
    const spy = new WarehouseSpy();
    const h = await start({ mode: "mirror", wrapSource: spy.wrap });
    await h.run();
    await h.sql("UPDATE people SET version = 2 WHERE id <= 3; DELETE FROM people WHERE id = 10");
    let crashAfterCommit = true;
    spy.afterExecute = (statements) => {
      if (crashAfterCommit && statements.some((sql) => sql.startsWith("INSERT INTO") && sql.includes("SELECT"))) {
        throw new Error("killed after the warehouse commit");
      }
    };
    const second = await h.run();
    expect(second.status).toBe("failed");
    expect(second.counts?.succeeded).toEqual({ added: 0, changed: 3, removed: 1 });
    expect(local(h, "warehouse_pending")).toBe(4);
    crashAfterCommit = false;
    const third = await h.run();
    expect(third.status).toBe("succeeded");
    expect(third.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(h.destination.records).toEqual(await h.model());
  });

  it("keeps the warehouse row of records a cancelled run never sent (they stay in the next delta)", async () => {
    const h = await start({ mode: "mirror", maxRecords: 5, deleteGuard: { maxPercent: 100 } }, people(1, 40));
    await h.run();
    await h.sql("UPDATE people SET version = 2; DELETE FROM people WHERE id > 35");
    let runId = "";
    h.destination.afterCall = async (call) => {
      if (call === 10) h.engine.cancel(runId);
    };
    const { run } = h.engine.trigger("people", { trigger: "test" });
    runId = run.id;
    const cancelled = await h.engine.wait(run.id);
    expect(cancelled.status).toBe("cancelled");
    const sent = cancelled.counts!.succeeded.changed + cancelled.counts!.succeeded.removed;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(40);
    h.destination.afterCall = async () => {};
    const next = await h.run();
    const planned = next.counts!.planned;
    expect(planned.changed + planned.removed).toBe(40 - sent);
    expect(h.destination.records).toEqual(await h.model());
    expect((await h.run()).counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
  });

  it("replaces keys whose text changes with the model's key type (text '007' → integer 7)", async () => {
    const h = await start({
      mode: "mirror",
      deleteGuard: { maxPercent: 100 },
      sql: "SELECT lpad(CAST(id AS VARCHAR), 3, '0') AS id, email, name, version FROM people",
    });
    await h.run();
    expect([...h.destination.records.keys()].sort().slice(0, 2)).toEqual(["001", "002"]);
    await h.reconfigure({ sql: "SELECT * FROM people" });
    const run = await h.run();
    expect(run.counts?.planned).toEqual({ added: 10, changed: 0, removed: 10 });
    expect(h.destination.records).toEqual(await h.model());
    expect((await h.run()).counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
  });

  it("switches between local and warehouse mode without orphaning records", async () => {
    const h = await start({ diff: "local", mode: "mirror", deleteGuard: { maxPercent: 100 } });
    await h.run();
    await h.sql("DELETE FROM people WHERE id = 10");
    await h.reconfigure({ diff: "warehouse" });
    const toWarehouse = await h.run();
    // The two modes hash differently: every record is sent once more, and the one that left
    // the model while switching is still deleted (the keys and remote ids were carried over).
    expect(toWarehouse.counts?.planned).toEqual({ added: 0, changed: 9, removed: 1 });
    expect(h.destination.records.has("10")).toBe(false);
    expect(local(h, "snapshots")).toBe(0);
    expect((await h.run()).counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });

    await h.sql("DELETE FROM people WHERE id = 9");
    await h.reconfigure({ diff: "local" });
    const toLocal = await h.run();
    expect(toLocal.counts?.planned).toEqual({ added: 0, changed: 8, removed: 1 });
    expect(h.destination.records.has("9")).toBe(false);
    expect((await h.run()).counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(h.destination.records).toEqual(await h.model());
  });

  it("switches modes in insert mode without inserting anything again", async () => {
    const h = await start({ diff: "local", mode: "insert" });
    await h.run();
    await h.reconfigure({ diff: "warehouse" });
    await h.sql(people(11, 11));
    const run = await h.run();
    expect(run.counts?.planned).toEqual({ added: 1, changed: 0, removed: 0 });
    expect(h.destination.writes.filter((w) => w.key === "1")).toHaveLength(1);
  });

  it("previews the delta without journaling or committing anything", async () => {
    const h = await start({ mode: "mirror" });
    await h.run();
    await h.sql(`UPDATE people SET name = 'x' WHERE id = 1; DELETE FROM people WHERE id = 2`);
    const dry = await preview(h.state.sqlite, h.sync(), silentLogger);
    expect(dry.counts.planned).toEqual({ added: 0, changed: 1, removed: 1 });
    expect(dry.samples.changed).toEqual([{ key: "1", fields: { email: "p1@example.com", name: "x", version: 1 } }]);
    expect(local(h, "warehouse_pending")).toBe(0);
    expect(local(h, "snapshots")).toBe(0);
    const run = await h.run();
    expect(run.counts?.planned).toEqual({ added: 0, changed: 1, removed: 1 });
  });

  it("quotes every identifier: odd column names and a model with a trailing semicolon", async () => {
    const h = await start({
      sql: `SELECT id AS "the id", email AS "e""mail", name AS "Na me", version AS "select" FROM people;`,
      primaryKey: ["the id"],
      mapping: [
        ["email", 'e"mail'],
        ["name", "Na me"],
        ["version", "select"],
      ],
    });
    const run = await h.run();
    expect(run.status).toBe("succeeded");
    expect(h.destination.records).toEqual(await h.model());
    await h.sql("UPDATE people SET version = 5 WHERE id = 3");
    expect((await h.run()).counts?.planned).toEqual({ added: 0, changed: 1, removed: 0 });
  });

  it("carries keys with quotes, backslashes, line breaks and unicode through the journal exactly", async () => {
    const odd = ["it's", "back\\slash", "two\nlines", "ünïcødé ✓", "semi;colon --", 'dq"uote', "?"];
    const values = odd.map((key, i) => `(${i + 1}, '${key.replaceAll("'", "''")}', 'n${i}', 1)`).join(", ");
    const h = await start(
      {
        primaryKey: ["email"],
        mode: "mirror",
        deleteGuard: { maxPercent: 100 },
        sql: "SELECT * FROM people",
        mapping: [
          ["name", "name"],
          ["version", "version"],
        ],
      },
      `INSERT INTO people VALUES ${values}`,
    );
    h.destination.decide = (record) => (record.key === "it's" ? "reject" : "ok");
    const first = await h.run();
    expect(first.counts?.succeeded.added).toBe(odd.length - 1);
    expect(h.ledger().map((entry) => entry.key)).toEqual(["it's"]);
    h.destination.decide = () => "ok";
    const second = await h.run();
    expect(second.counts?.planned).toEqual({ added: 1, changed: 0, removed: 0 });
    const third = await h.run();
    expect(third.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
    expect([...h.destination.records.keys()].sort()).toEqual([...odd].sort());
  });
}
