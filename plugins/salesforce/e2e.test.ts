// Salesforce end to end: a real syncline.yaml, a DuckDB model, the real engine, and the fake
// org (OAuth, sObject Collections, Bulk API 2.0) on a loopback server, waits scaled down.
import { afterEach, describe, expect, it } from "vitest";
import type { Syncline } from "../../src/host/open.ts";
import { describeRun, ledgerOf, renameSql, Workspace } from "../../test/support/connector-e2e.ts";
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, type SalesforceFakeOptions } from "./fake/options.ts";
import { type SalesforceFakeServer, startSalesforceFake } from "./fake/server.ts";

/** Emails a validation rule in the org refuses. */
const refused = new Set<string>();
const RULE = "Email domain is blocked by validation rule Block_Test_Domains";

let server: SalesforceFakeServer;
let ws: Workspace;

interface Setup {
  rows: number;
  mode?: "upsert" | "mirror";
  /** Destination options besides the credentials, as YAML lines. */
  options?: string;
  fake?: SalesforceFakeOptions;
}

async function setup(settings: Setup): Promise<Syncline> {
  refused.clear();
  server = await startSalesforceFake({
    ...settings.fake,
    failRecord: (_sobject, values) =>
      refused.has(String(values.Email))
        ? { statusCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: RULE, fields: ["Email"] }
        : undefined,
  });
  ws = new Workspace();
  await ws.seed(settings.rows);
  ws.writeConfig({
    destination: `type: salesforce
baseUrl: ${server.url}
clientId: ${FAKE_CLIENT_ID}
clientSecret: \${SALESFORCE_SECRET}
limitWaitMs: 50
${settings.options ?? "bulk: never"}`,
    object: "Contact",
    mode: settings.mode,
    syncOptions: "{ externalIdField: External_Id__c }",
    mapping: { External_Id__c: "id", Email: "email", FirstName: "first_name", LastName: "last_name" },
  });
  return ws.open({ SALESFORCE_SECRET: FAKE_CLIENT_SECRET });
}

afterEach(async () => {
  await ws?.close();
  await server?.close();
});

/** What the org holds, as rows of the model. */
function held() {
  return server.fake
    .records("Contact")
    .map((record) => ({
      id: Number(record.External_Id__c),
      email: record.Email,
      first_name: record.FirstName,
      last_name: record.LastName,
    }))
    .sort((a, b) => a.id - b.id);
}

async function expected() {
  return [...(await ws.people()).values()];
}

async function runOk(app: Syncline) {
  const run = await app.engine.runNow("people");
  expect(run.status, describeRun(run)).toBe("succeeded");
  return run;
}

const collectionCalls = () => server.fake.calls.filter((call) => call.path.includes("/composite/sobjects"));

describe("Salesforce end to end (sObject Collections)", () => {
  it("a first sync leaves the org holding exactly the model, 200 records per call", async () => {
    const app = await setup({ rows: 450 });
    const run = await runOk(app);
    expect(run.counts?.succeeded.added).toBe(450);
    expect(held()).toEqual(await expected());
    expect(
      collectionCalls()
        .map((call) => call.records)
        .sort((a, b) => b - a),
    ).toEqual([200, 200, 50]);
    expect(server.fake.jobs.size).toBe(0);
  });

  it("a delta sync writes only the changed and added records", async () => {
    const app = await setup({ rows: 300 });
    await runOk(app);
    const before = server.fake.writes.length;
    await ws.sql(`${renameSql([2, 150, 299])}; INSERT INTO people VALUES (301, 'n@example.com', 'New', 'Person')`);
    const run = await runOk(app);
    expect(run.counts?.planned).toEqual({ added: 1, changed: 3, removed: 0 });
    const writes = server.fake.writes.slice(before);
    expect(writes.map((write) => `${write.op}:${String(write.values.External_Id__c)}`).sort()).toEqual([
      "create:301",
      "update:150",
      "update:2",
      "update:299",
    ]);
    expect(held()).toEqual(await expected());
  });

  it("mirror mode deletes the records that left the model, by their Salesforce Id", async () => {
    const app = await setup({ rows: 100, mode: "mirror" });
    await runOk(app);
    const ids = new Map(server.fake.records("Contact").map((record) => [Number(record.External_Id__c), record.Id]));
    const before = server.fake.writes.length;
    await ws.sql("DELETE FROM people WHERE id IN (10, 20, 30)");
    const run = await runOk(app);
    expect(run.counts?.succeeded.removed).toBe(3);
    const deletes = server.fake.writes.slice(before);
    expect(deletes.every((write) => write.op === "delete")).toBe(true);
    expect(deletes.map((write) => write.id).sort()).toEqual([ids.get(10), ids.get(20), ids.get(30)].sort());
    expect(held()).toEqual(await expected());
  });

  it("records the org rejects land in the ledger with its message, and succeed once it accepts them", async () => {
    const app = await setup({ rows: 250 });
    refused.add("p7@example.com").add("p201@example.com");
    const run = await app.engine.runNow("people");
    expect(run.status, describeRun(run)).toBe("partial");
    expect(ledgerOf(app).map((entry) => [entry.key, entry.errorCode, entry.reason])).toEqual([
      ["201", "FIELD_CUSTOM_VALIDATION_EXCEPTION", RULE],
      ["7", "FIELD_CUSTOM_VALIDATION_EXCEPTION", RULE],
    ]);
    expect(held()).toHaveLength(248);

    refused.clear();
    const retry = await runOk(app);
    expect(retry.counts?.succeeded.added).toBe(2);
    expect(ledgerOf(app)).toEqual([]);
    expect(held()).toEqual(await expected());
  });

  it("a storm of REQUEST_LIMIT_EXCEEDED ends with every record delivered", async () => {
    const app = await setup({ rows: 800 });
    server.fake.throttle(30);
    await runOk(app);
    expect(server.fake.counters.rateLimited).toBe(30);
    expect(held()).toEqual(await expected());
  });

  it("tokens that expire mid-run are refreshed and every record is delivered", async () => {
    const app = await setup({ rows: 1_000, fake: { tokenTtlCalls: 2 } });
    await runOk(app);
    expect(server.fake.counters.tokensIssued).toBeGreaterThanOrEqual(3);
    expect(server.fake.calls.filter((call) => call.status === 401).length).toBeGreaterThanOrEqual(2);
    expect(held()).toEqual(await expected());
  });
});

describe("Salesforce end to end (Bulk API 2.0)", () => {
  const BULK = "bulk: auto\nbulkThreshold: 100\nbulkMaxRecords: 1000\nbulkPollIntervalMs: 10";

  it("a large sync goes through one ingest job; its failed rows reach the ledger and are delivered later", async () => {
    const app = await setup({ rows: 600, options: BULK, fake: { bulkPolls: 2 } });
    refused.add("p42@example.com");
    const run = await app.engine.runNow("people");
    expect(run.status, describeRun(run)).toBe("partial");
    expect([...server.fake.jobs.values()].map((job) => [job.operation, job.state, job.numberRecordsProcessed])).toEqual(
      [["upsert", "JobComplete", 600]],
    );
    expect(collectionCalls()).toHaveLength(0);
    expect(ledgerOf(app).map((entry) => [entry.key, entry.errorCode, entry.reason])).toEqual([
      ["42", "FIELD_CUSTOM_VALIDATION_EXCEPTION", RULE],
    ]);

    refused.clear();
    const retry = await runOk(app);
    expect(retry.counts?.succeeded.added).toBe(1);
    expect(held()).toEqual(await expected());
  });

  it("a large delta and mirror deletes go through ingest jobs and write only what changed", async () => {
    const app = await setup({ rows: 700, mode: "mirror", options: BULK });
    await runOk(app);
    const before = server.fake.writes.length;
    await ws.sql(`${renameSql([...Array(150).keys()].map((i) => i + 1))}; DELETE FROM people WHERE id > 580`);
    const run = await runOk(app);
    expect(run.counts?.succeeded).toEqual({ added: 0, changed: 150, removed: 120 });
    const ops = [...server.fake.jobs.values()].map((job) => job.operation);
    expect(ops).toEqual(["upsert", "upsert", "delete"]);
    const writes = server.fake.writes.slice(before);
    expect(writes.filter((write) => write.op === "update")).toHaveLength(150);
    expect(writes.filter((write) => write.op === "delete")).toHaveLength(120);
    expect(held()).toEqual(await expected());
  });
});
