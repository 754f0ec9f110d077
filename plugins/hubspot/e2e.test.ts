// HubSpot end to end: a real syncline.yaml, a DuckDB model, the real engine, and the fake
// HubSpot on a loopback server (windows and waits scaled down to keep the file quick).
import { afterEach, describe, expect, it } from "vitest";
import { pacing } from "../../bench/pacing.ts";
import type { Syncline } from "../../src/host/open.ts";
import { describeRun, ledgerOf, renameSql, Workspace } from "../../test/support/connector-e2e.ts";
import { FAKE_TOKEN } from "./fake/options.ts";
import { type HubSpotFakeServer, startHubSpotFake } from "./fake/server.ts";

const MAPPING = { email: "email", firstname: "first_name", lastname: "last_name" };
/** Emails the fake refuses, as HubSpot refuses a property value its validation rules reject. */
const refused = new Set<string>();

let server: HubSpotFakeServer;
let ws: Workspace;

async function setup(options: { rows: number; mode?: "upsert" | "mirror"; concurrency?: number; syncKeys?: string[] }) {
  refused.clear();
  server = await startHubSpotFake({
    rateLimit: { requests: 1_000, windowMs: 200 },
    validate: (_object, properties) =>
      refused.has(properties.email ?? "")
        ? `Property values were not valid: [{"isValid":false,"message":"${properties.email} is on the blocklist","error":"INVALID_EMAIL","name":"email"}]`
        : undefined,
  });
  ws = new Workspace();
  await ws.seed(options.rows);
  ws.writeConfig({
    destination: `type: hubspot
accessToken: \${HUBSPOT_TOKEN}
baseUrl: ${server.url}
rateLimit: { requests: 1000, windowMs: 1000 }
concurrency: ${options.concurrency ?? 4}`,
    object: "contacts",
    mode: options.mode,
    mapping: MAPPING,
    syncKeys: options.syncKeys,
  });
  return ws.open({ HUBSPOT_TOKEN: FAKE_TOKEN });
}

afterEach(async () => {
  await ws?.close();
  await server?.close();
});

/** What HubSpot holds, as the model's rows would map to it. */
function held() {
  return server.fake
    .records("contacts")
    .map((record) => ({
      email: record.properties.email,
      firstname: record.properties.firstname,
      lastname: record.properties.lastname,
    }))
    .sort((a, b) => String(a.email).localeCompare(String(b.email)));
}

async function expected() {
  return [...(await ws.people()).values()]
    .map((person) => ({ email: person.email, firstname: person.first_name, lastname: person.last_name }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

async function firstSync(app: Syncline) {
  const run = await app.engine.runNow("people");
  expect(run.status, describeRun(run)).toBe("succeeded");
  return run;
}

describe("HubSpot end to end", () => {
  it("a first sync leaves HubSpot holding exactly the model, in batch/upsert calls of at most 100", async () => {
    const app = await setup({ rows: 250 });
    const run = await firstSync(app);
    expect(run.counts?.succeeded.added).toBe(250);
    expect(held()).toEqual(await expected());
    const upserts = server.fake.calls.filter((call) => call.path === "/crm/v3/objects/contacts/batch/upsert");
    expect(upserts.map((call) => call.records).sort((a, b) => b - a)).toEqual([100, 100, 50]);
  });

  it("sendChangedFieldsOnly: changed contacts carry only the changed properties and email (the idProperty)", async () => {
    const app = await setup({ rows: 20, syncKeys: ["sendChangedFieldsOnly: true"] });
    await firstSync(app);
    const before = server.fake.writes.length;
    await ws.sql(renameSql([3, 4]));
    const run = await app.engine.runNow("people");
    expect(run.counts?.succeeded.changed, describeRun(run)).toBe(2);
    const writes = server.fake.writes.slice(before);
    expect(writes.map((write) => write.values).sort((a, b) => String(a.email).localeCompare(String(b.email)))).toEqual([
      { email: "p3@example.com", firstname: "Renamed3" },
      { email: "p4@example.com", firstname: "Renamed4" },
    ]);
    expect(held()).toEqual(await expected());
  });

  it("a delta sync writes only the changed and added records", async () => {
    const app = await setup({ rows: 250 });
    await firstSync(app);
    const before = server.fake.writes.length;
    await ws.sql(
      `${renameSql([3, 77, 140])}; INSERT INTO people VALUES (251, 'new1@example.com', 'N', 'One'), (252, 'new2@example.com', 'N', 'Two')`,
    );
    const run = await app.engine.runNow("people");
    expect(run.status, describeRun(run)).toBe("succeeded");
    expect(run.counts?.planned).toEqual({ added: 2, changed: 3, removed: 0 });
    const writes = server.fake.writes.slice(before);
    expect(writes.map((write) => [write.op, write.values.email]).sort()).toEqual([
      ["create", "new1@example.com"],
      ["create", "new2@example.com"],
      ["update", "p140@example.com"],
      ["update", "p3@example.com"],
      ["update", "p77@example.com"],
    ]);
    expect(held()).toEqual(await expected());
  });

  it("mirror mode archives the records that left the model, by their HubSpot id", async () => {
    const app = await setup({ rows: 120, mode: "mirror" });
    await firstSync(app);
    const ids = new Map(server.fake.records("contacts").map((record) => [record.properties.email, record.id]));
    const before = server.fake.writes.length;
    await ws.sql("DELETE FROM people WHERE id IN (5, 6, 99)");
    const run = await app.engine.runNow("people");
    expect(run.status, describeRun(run)).toBe("succeeded");
    expect(run.counts?.succeeded.removed).toBe(3);
    const deletes = server.fake.writes.slice(before);
    expect(deletes.map((write) => write.op)).toEqual(["delete", "delete", "delete"]);
    expect(deletes.map((write) => write.id).sort()).toEqual(
      ["p5@example.com", "p6@example.com", "p99@example.com"].map((email) => ids.get(email)).sort(),
    );
    expect(held()).toEqual(await expected());
  });

  it("records HubSpot rejects land in the ledger with its message, and succeed once it accepts them", async () => {
    const app = await setup({ rows: 150 });
    refused.add("p4@example.com").add("p50@example.com").add("p130@example.com");
    const run = await app.engine.runNow("people");
    expect(run.status, describeRun(run)).toBe("partial");
    expect(run.counts?.failed.added).toBe(3);
    const ledger = ledgerOf(app);
    expect(ledger.map((entry) => entry.key).sort()).toEqual(["130", "4", "50"]);
    for (const entry of ledger) {
      expect(entry.errorCode).toBe("VALIDATION_ERROR");
      expect(entry.reason).toMatch(/p(4|50|130)@example\.com is on the blocklist/);
    }
    expect(held()).toHaveLength(147);

    refused.clear();
    const retry = await app.engine.runNow("people");
    expect(retry.status, describeRun(retry)).toBe("succeeded");
    expect(retry.counts?.succeeded.added).toBe(3);
    expect(ledgerOf(app)).toEqual([]);
    expect(held()).toEqual(await expected());
  });

  it("a storm of 429s with Retry-After ends with every record delivered", async () => {
    const app = await setup({ rows: 400 });
    server.fake.throttle(25);
    const run = await app.engine.runNow("people");
    expect(run.status, describeRun(run)).toBe("succeeded");
    expect(server.fake.counters.rateLimited).toBe(25);
    expect(held()).toEqual(await expected());
    expect(ledgerOf(app)).toEqual([]);
  });

  it("a token revoked mid-run fails the run naming the credentials fix; the next run with a new token completes the delta", async () => {
    const app = await setup({ rows: 300, concurrency: 1 });
    await firstSync(app);
    await ws.sql(renameSql([...Array(300).keys()].map((i) => i + 1)));
    let batches = 0;
    app.engine.on("batch", () => {
      if (++batches === 1) server.fake.setToken("pat-na1-rotated");
    });
    const broken = await app.engine.runNow("people");
    expect(broken.status).toBe("failed");
    expect(broken.error?.code).toBe("http_401");
    expect(broken.error?.message).toMatch(/accessToken/);
    expect(broken.counts?.succeeded.changed).toBe(100);

    const fixed = await ws.reopen(app, { HUBSPOT_TOKEN: "pat-na1-rotated" });
    const run = await fixed.engine.runNow("people");
    expect(run.status, describeRun(run)).toBe("succeeded");
    expect(run.counts?.planned).toEqual({ added: 0, changed: 200, removed: 0 });
    expect(held()).toEqual(await expected());
  });
});

describe("HubSpot pacing", () => {
  it("paces a sync at the declared limit: every record delivered and not one 429", async () => {
    const result = await pacing({ records: 6_000, requests: 20, windowMs: 1_000, batchSize: 100 });
    expect(result.delivered).toBe(6_000);
    expect(result.rateLimited).toBe(0);
  });
});
