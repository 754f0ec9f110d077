import { afterEach, describe, expect, it } from "vitest";
import { REASON_MAX_CHARS } from "../../src/engine/ledger/changelog-row.ts";
import { CallStore } from "../../src/state/call-store.ts";
import { ChangelogIndex } from "../../src/state/changelog-index.ts";
import { ChangelogStore } from "../../src/state/changelog-store.ts";
import { Harness, people } from "../support/harness.ts";
import { Receiver } from "../support/receiver.ts";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("the record changelog", () => {
  it("writes one row per record sent, with its outcome, code, reason, remote id and attempts", async () => {
    h = await new Harness().setup();
    await h.sql(people(1, 6));
    let retried = false;
    h.destination.decide = (record) => {
      if (record.key === "2") return "reject";
      if (record.key === "3" && !retried) {
        retried = true;
        return "retry";
      }
      return "ok";
    };
    const run = await h.run();
    expect(run.status).toBe("partial");
    const rows = new ChangelogStore(h.state.sqlite).forRun(run.id, { limit: 100 });
    expect(rows.map((row) => row.key).sort()).toEqual(["1", "2", "3", "4", "5", "6"]);
    const byKey = new Map(rows.map((row) => [row.key, row]));
    expect(byKey.get("1")).toMatchObject({
      runId: run.id,
      sync: "people",
      operation: "add",
      outcome: "ok",
      code: null,
      reason: null,
      remoteId: "remote-1",
      attempts: 1,
      values: null,
    });
    expect(byKey.get("2")).toMatchObject({ outcome: "reject", code: "INVALID", reason: "record 2 is invalid" });
    expect(byKey.get("2")!.remoteId).toBeNull();
    expect(byKey.get("3")).toMatchObject({ outcome: "ok", attempts: 2, remoteId: "remote-3" });
    expect(Date.parse(byKey.get("1")!.at)).toBeGreaterThan(Date.now() - 60_000);

    // A second run: 1 changes, 2 is retried from the ledger and accepted.
    h.destination.decide = () => "ok";
    await h.sql("UPDATE people SET version = 2 WHERE id = 1");
    const second = await h.run();
    const next = new ChangelogStore(h.state.sqlite).forRun(second.id, { limit: 100 });
    expect(next.map((row) => [row.key, row.operation, row.outcome]).sort()).toEqual([
      ["1", "change", "ok"],
      ["2", "add", "ok"],
    ]);
    const history = new ChangelogStore(h.state.sqlite).forRecord("people", "2", { limit: 10 });
    expect(history.map((row) => [row.runId, row.outcome])).toEqual([
      [second.id, "ok"],
      [run.id, "reject"],
    ]);
    // Each run's end indexed its rows by record: the history above came from the index.
    expect(new ChangelogIndex(h.state.sqlite).pending()).toBe(0);
    expect(h.state.sqlite.prepare("SELECT count(*) FROM changelog_keys WHERE key = '2'").pluck().get()).toBe(2);
    expect(new ChangelogStore(h.state.sqlite).forRun(run.id, { outcome: "reject", limit: 10 })).toHaveLength(1);
  });

  it("records removals in mirror mode, and a record the run stopped on as retry (deferred)", async () => {
    h = await new Harness({ mode: "mirror", maxWaitMs: 0, deleteGuard: { maxPercent: 100 } }).setup();
    await h.sql(people(1, 3));
    await h.run();
    await h.sql("DELETE FROM people WHERE id = 3");
    const removal = await h.run();
    expect(new ChangelogStore(h.state.sqlite).forRun(removal.id, { limit: 10 })).toMatchObject([
      { key: "3", operation: "remove", outcome: "ok", remoteId: "remote-3" },
    ]);
    h.destination.decide = (record) => (record.key === "1" ? "retry" : "ok");
    await h.sql("UPDATE people SET version = 2 WHERE id = 1");
    const run = await h.run();
    expect(run.status).toBe("partial");
    expect(new ChangelogStore(h.state.sqlite).forRun(run.id, { limit: 10 })).toMatchObject([
      { key: "1", operation: "change", outcome: "retry", code: "deferred", attempts: 1 },
    ]);
  });

  it("keeps values only when the sync opts in, redacted; cuts and redacts a huge reason", async () => {
    const secret = "sk_live_0123456789abcdef";
    h = await new Harness({
      changelog: { enabled: true, values: true },
      redact: (text) => text.replaceAll(secret, "***"),
    }).setup();
    await h.sql(`INSERT INTO people VALUES (1, '${secret}@example.com', 'A', 1), (2, 'b@example.com', 'B', 1)`);
    const huge = `refused ${secret} ${"x".repeat(1_000_000)}`;
    const run = await h.run();
    const rows = new ChangelogStore(h.state.sqlite).forRun(run.id, { limit: 10 });
    const one = rows.find((row) => row.key === "1")!;
    expect(one.values).toContain("***@example.com");
    expect(one.values).not.toContain(secret);
    expect(JSON.parse(one.values!)).toMatchObject({ name: "A" });

    const { reasonText } = await import("../../src/engine/ledger/changelog-row.ts");
    const cut = reasonText(huge, (text) => text.replaceAll(secret, "***"));
    expect(cut.length).toBeLessThan(REASON_MAX_CHARS + 100);
    expect(cut).not.toContain(secret);
    expect(cut).toMatch(/cut; 1000033 characters in all/);
  });

  it("is off for a sync that turns it off", async () => {
    h = await new Harness({ changelog: { enabled: false, values: false } }).setup();
    await h.sql(people(1, 3));
    const run = await h.run();
    expect(run.status).toBe("succeeded");
    expect(new ChangelogStore(h.state.sqlite).forRun(run.id, { limit: 10 })).toEqual([]);
  });

  it("stores odd keys as their canonical string: quotes, newlines, unicode, 42 vs '42'", async () => {
    h = await new Harness({
      primaryKey: ["id", "email"],
      sql: "SELECT * FROM people",
    }).setup("CREATE TABLE people (id VARCHAR, email VARCHAR, name VARCHAR, version INTEGER)");
    await h.sql(
      `INSERT INTO people VALUES ('42', 'a', 'n', 1), ('4''2"', 'line
break', 'n', 1), ('日本語 🎉', 'ü', 'n', 1)`,
    );
    const run = await h.run();
    const keys = new ChangelogStore(h.state.sqlite)
      .forRun(run.id, { limit: 10 })
      .map((row) => row.key)
      .sort();
    expect(keys).toEqual(
      [
        JSON.stringify(["42", "a"]),
        JSON.stringify(["4'2\"", "line\nbreak"]),
        JSON.stringify(["日本語 🎉", "ü"]),
      ].sort(),
    );
    const store = new ChangelogStore(h.state.sqlite);
    expect(store.forRecord("people", JSON.stringify(["42", "a"]), { limit: 5 })).toHaveLength(1);
    expect(store.forRecord("people", JSON.stringify([42, "a"]), { limit: 5 })).toHaveLength(0);
  });

  it("takes a huge key whose refusal has a huge reason: the reason is cut, the run goes on", async () => {
    h = await new Harness({ primaryKey: ["email"] }).setup();
    const huge = `k${"€".repeat(20_000)}`;
    await h.sql(`INSERT INTO people VALUES (1, '${huge}', 'A', 1), (2, 'b@x', 'B', 1)`);
    h.destination.decide = (record) => (record.key === huge ? "reject" : "ok");
    const run = await h.run();
    expect(run.status).toBe("partial");
    const rows = new ChangelogStore(h.state.sqlite).forRun(run.id, { limit: 10 });
    const refused = rows.find((row) => row.outcome === "reject")!;
    expect(refused.key).toBe(huge);
    expect(refused.reason!.length).toBeLessThan(REASON_MAX_CHARS + 60);
    expect(refused.reason).toMatch(/^record k€+… \(cut; 20019 characters in all\)$/);
    expect(rows.find((row) => row.key === "b@x")?.outcome).toBe("ok");
  });
});

describe("the API inspector (engine side)", () => {
  it("records one call per write batch for a destination that makes no HTTP request", async () => {
    h = await new Harness({ maxRecords: 2, inspector: { calls: 3, bodies: false } }).setup();
    await h.sql(people(1, 9));
    const run = await h.run();
    const calls = new CallStore(h.state.sqlite).last("memory", 10);
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatchObject({
      method: "UPSERT",
      url: "memory:people",
      status: null,
      runId: run.id,
      error: null,
    });
    expect(calls[0]!.requestBytes).toBeGreaterThan(0);
    expect(calls.map((call) => call.batch)).toEqual([5, 4, 3]);
  });
});

describe("the API inspector over HTTP", () => {
  const receiver = new Receiver();
  afterEach(async () => {
    await receiver.stop();
  });

  it("records each request: method, URL without secrets, status, sizes, run and batch; bodies when enabled, redacted", async () => {
    await receiver.start();
    const secret = "hook-secret-0123456789";
    h = await new Harness({
      webhook: { url: `${receiver.url}?token=${secret}&page=1`, maxRecords: 2 },
      inspector: { calls: 10, bodies: true },
      redact: (text) => text.replaceAll(secret, "***"),
    }).setup();
    await h.sql(
      "INSERT INTO people VALUES (1, 'hook-secret-0123456789@x', 'A', 1), (2, 'b', 'B', 1), (3, 'c', 'C', 1)",
    );
    receiver.fail = (batch) => (batch.records.some((record) => record.key === "3") ? 400 : undefined);
    const run = await h.run();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const calls = new CallStore(h.state.sqlite).last("memory", 10);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const call of calls) {
      expect(call).toMatchObject({ method: "POST", runId: run.id });
      expect(call.url).toMatch(/\?token=\*\*\*&page=1$/);
      expect(JSON.stringify(call)).not.toContain(secret);
      expect(call.requestBytes).toBeGreaterThan(20);
      expect(call.requestBody).toContain('"records"');
    }
    expect(calls.map((call) => call.status).sort()).toEqual([200, 400]);
    expect(calls.find((call) => call.status === 400)!.responseBody).toContain("injected");
    expect(calls.find((call) => call.status === 200)!.requestBody).toContain("***@x");
  });
});
