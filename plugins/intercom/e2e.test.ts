// Intercom end to end: a real syncline.yaml, a DuckDB model, the real engine, and the fake
// Intercom contacts API on a loopback server (one record per call, as Intercom has no batch API).
import { afterEach, describe, expect, it } from "vitest";
import type { Syncline } from "../../src/host/open.ts";
import { describeRun, ledgerOf, renameSql, Workspace } from "../../test/support/connector-e2e.ts";
import { FAKE_TOKEN } from "./fake/options.ts";
import { type IntercomFakeServer, startIntercomFake } from "./fake/server.ts";

/** Emails the workspace refuses. */
const refused = new Set<string>();
const REASON = "Email domain is on the workspace's blocklist";

let server: IntercomFakeServer;
let ws: Workspace;

async function setup(options: { rows: number; mode?: "upsert" | "mirror" }): Promise<Syncline> {
  refused.clear();
  server = await startIntercomFake({
    rateLimit: { requests: 10_000, windowMs: 200 },
    validate: (contact) => (refused.has(String(contact.email)) ? REASON : undefined),
  });
  ws = new Workspace();
  await ws.seed(options.rows);
  ws.writeConfig({
    destination: `type: intercom
accessToken: \${INTERCOM_TOKEN}
baseUrl: ${server.url}
rateLimit: { requests: 2000, windowMs: 1000 }
concurrency: 8`,
    object: "contacts",
    mode: options.mode,
    mapping: { external_id: "id", email: "email", name: "first_name", last_name: "last_name" },
  });
  return ws.open({ INTERCOM_TOKEN: FAKE_TOKEN });
}

afterEach(async () => {
  await ws?.close();
  await server?.close();
});

/** What Intercom holds, as rows of the model. */
function held() {
  return server.fake
    .records()
    .map((contact) => ({
      id: Number(contact.external_id),
      email: contact.email,
      first_name: contact.name,
      last_name: contact.custom_attributes.last_name,
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

describe("Intercom end to end", () => {
  it("a first sync leaves Intercom holding exactly the model, one contact per call", async () => {
    const app = await setup({ rows: 60 });
    const run = await runOk(app);
    expect(run.counts?.succeeded.added).toBe(60);
    expect(held()).toEqual(await expected());
    const creates = server.fake.calls.filter((call) => call.method === "POST" && call.path === "/contacts");
    expect(creates).toHaveLength(60);
  });

  it("a delta sync writes only the changed and added contacts, updating by their Intercom id", async () => {
    const app = await setup({ rows: 60 });
    await runOk(app);
    const ids = new Map(server.fake.records().map((contact) => [Number(contact.external_id), contact.id]));
    const before = server.fake.writes.length;
    const calls = server.fake.calls.length;
    await ws.sql(`${renameSql([5, 33])}; INSERT INTO people VALUES (61, 'n@example.com', 'New', 'Person')`);
    const run = await runOk(app);
    expect(run.counts?.planned).toEqual({ added: 1, changed: 2, removed: 0 });
    const writes = server.fake.writes.slice(before);
    expect(writes.map((write) => `${write.op}:${write.id}`).sort()).toEqual(
      [
        `create:${writes.find((write) => write.op === "create")?.id}`,
        `update:${ids.get(5)}`,
        `update:${ids.get(33)}`,
      ].sort(),
    );
    // The changed contacts are updated by id (no search); the new one is searched for, then created.
    // One read of the contact attributes per run types the values (discover).
    expect(
      server.fake.calls
        .slice(calls)
        .map((call) => `${call.method} ${call.path}`)
        .sort(),
    ).toEqual(
      [
        "GET /data_attributes?model=contact",
        "POST /contacts",
        "POST /contacts/search",
        `PUT /contacts/${ids.get(5)}`,
        `PUT /contacts/${ids.get(33)}`,
      ].sort(),
    );
    expect(held()).toEqual(await expected());
  });

  it("mirror mode deletes the contacts that left the model", async () => {
    const app = await setup({ rows: 40, mode: "mirror" });
    await runOk(app);
    const ids = new Map(server.fake.records().map((contact) => [Number(contact.external_id), contact.id]));
    const before = server.fake.writes.length;
    await ws.sql("DELETE FROM people WHERE id IN (3, 4)");
    const run = await runOk(app);
    expect(run.counts?.succeeded.removed).toBe(2);
    expect(
      server.fake.writes
        .slice(before)
        .map((write) => `${write.op}:${write.id}`)
        .sort(),
    ).toEqual([`delete:${ids.get(3)}`, `delete:${ids.get(4)}`].sort());
    expect(held()).toEqual(await expected());
  });

  it("contacts Intercom rejects land in the ledger with its message, and succeed once it accepts them", async () => {
    const app = await setup({ rows: 50 });
    refused.add("p8@example.com").add("p49@example.com");
    const run = await app.engine.runNow("people");
    expect(run.status, describeRun(run)).toBe("partial");
    expect(ledgerOf(app).map((entry) => [entry.key, entry.errorCode, entry.reason])).toEqual([
      ["49", "parameter_invalid", REASON],
      ["8", "parameter_invalid", REASON],
    ]);
    expect(held()).toHaveLength(48);

    refused.clear();
    const retry = await runOk(app);
    expect(retry.counts?.succeeded.added).toBe(2);
    expect(ledgerOf(app)).toEqual([]);
    expect(held()).toEqual(await expected());
  });

  it("a storm of 429s with X-RateLimit-Reset ends with every contact delivered", async () => {
    const app = await setup({ rows: 60 });
    server.fake.throttle(16);
    await runOk(app);
    expect(server.fake.counters.rateLimited).toBe(16);
    expect(held()).toEqual(await expected());
  });

  it("a token revoked mid-run fails the run naming the credentials fix; the next run with a new token completes the delta", async () => {
    const app = await setup({ rows: 80 });
    await runOk(app);
    await ws.sql(renameSql([...Array(80).keys()].map((i) => i + 1)));
    let batches = 0;
    app.engine.on("batch", () => {
      if (++batches === 10) server.fake.setToken("rotated-intercom-token");
    });
    const broken = await app.engine.runNow("people");
    expect(broken.status).toBe("failed");
    expect(broken.error?.code).toBe("http_401");
    expect(broken.error?.message).toMatch(/accessToken/);
    const delivered = broken.counts?.succeeded.changed ?? 0;
    expect(delivered).toBeGreaterThanOrEqual(10);
    expect(delivered).toBeLessThan(80);

    const fixed = await ws.reopen(app, { INTERCOM_TOKEN: "rotated-intercom-token" });
    const run = await runOk(fixed);
    expect(run.counts?.planned).toEqual({ added: 0, changed: 80 - delivered, removed: 0 });
    expect(held()).toEqual(await expected());
  });
});
