// Braze end to end: a real syncline.yaml, a DuckDB model, the real engine, and the fake Braze
// REST API on a loopback server (75 attribute objects per /users/track call, 50 per delete).
import { afterEach, describe, expect, it } from "vitest";
import type { Syncline } from "../../src/host/open.ts";
import { describeRun, ledgerOf, renameSql, Workspace } from "../../test/support/connector-e2e.ts";
import { FAKE_API_KEY } from "./fake/options.ts";
import { type BrazeFakeServer, startBrazeFake } from "./fake/server.ts";

/** Emails the workspace refuses, and one whose refusal echoes the API key. */
const refused = new Set<string>();
const REASON = "'email' is on the workspace's blocklist";
const ECHOING = "p13@example.com";

let server: BrazeFakeServer;
let ws: Workspace;

async function setup(options: {
  rows: number;
  mode?: "upsert" | "mirror";
  alias?: boolean;
  limit?: { requests: number; windowMs: number };
}): Promise<Syncline> {
  refused.clear();
  const limit = options.limit ?? { requests: 10_000, windowMs: 200 };
  server = await startBrazeFake({
    rateLimit: limit,
    latencyMs: 2,
    validate: (object) => {
      if (refused.has(String(object.email))) return REASON;
      return object.email === ECHOING && refused.size > 0 ? `refused with key ${FAKE_API_KEY}` : undefined;
    },
  });
  ws = new Workspace();
  await ws.seed(options.rows);
  const pace = options.limit ?? { requests: 2_000, windowMs: 1_000 };
  ws.writeConfig({
    destination: `type: braze
apiKey: \${BRAZE_API_KEY}
baseUrl: ${server.url}
rateLimit: { requests: ${pace.requests}, windowMs: ${pace.windowMs} }
concurrency: 4`,
    object: "users",
    mode: options.mode,
    ...(options.alias ? { syncOptions: "{ identifier: user_alias, aliasLabel: warehouse_id }" } : {}),
    mapping: {
      [options.alias ? "alias_name" : "external_id"]: "id",
      email: "email",
      first_name: "first_name",
      last_name: "last_name",
    },
  });
  return ws.open({ BRAZE_API_KEY: FAKE_API_KEY });
}

afterEach(async () => {
  await ws?.close();
  await server?.close();
});

/** What Braze holds, as rows of the model. */
function held() {
  return server.fake
    .records()
    .map((user) => ({
      id: Number(user.external_id ?? user.user_aliases[0]?.alias_name),
      email: user.attributes.email,
      first_name: user.attributes.first_name,
      last_name: user.attributes.last_name,
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

const trackCalls = (from = 0) =>
  server.fake.calls.slice(from).filter((call) => call.path === "/users/track" && !call.refused);

describe("Braze end to end", () => {
  it("a first sync leaves Braze holding exactly the model, 75 users a call", async () => {
    const app = await setup({ rows: 160 });
    const run = await runOk(app);
    expect(run.counts?.succeeded.added).toBe(160);
    expect(held()).toEqual(await expected());
    expect(
      trackCalls()
        .map((call) => call.records)
        .sort((a, b) => b - a),
    ).toEqual([75, 75, 10]);
  });

  it("a delta sync sends only the changed and added users, in one call", async () => {
    const app = await setup({ rows: 60 });
    await runOk(app);
    const calls = server.fake.calls.length;
    await ws.sql(`${renameSql([5, 33])}; INSERT INTO people VALUES (61, 'n@example.com', 'New', 'Person')`);
    const run = await runOk(app);
    expect(run.counts?.planned).toEqual({ added: 1, changed: 2, removed: 0 });
    expect(trackCalls(calls).map((call) => call.records)).toEqual([3]);
    expect(held()).toEqual(await expected());
  });

  it("mirror mode deletes the users that left the model through /users/delete", async () => {
    const app = await setup({ rows: 40, mode: "mirror" });
    await runOk(app);
    const before = server.fake.writes.length;
    await ws.sql("DELETE FROM people WHERE id IN (3, 4)");
    const run = await runOk(app);
    expect(run.counts?.succeeded.removed).toBe(2);
    expect(server.fake.calls.filter((call) => call.path === "/users/delete").map((call) => call.records)).toEqual([2]);
    expect(server.fake.writes.slice(before).map((write) => write.op)).toEqual(["delete", "delete"]);
    expect(held()).toEqual(await expected());
  });

  it("by user alias: users are created under the label and mirror-deleted by alias", async () => {
    const app = await setup({ rows: 30, mode: "mirror", alias: true });
    await runOk(app);
    expect(server.fake.records().every((user) => user.external_id === null)).toBe(true);
    expect(server.fake.records()[0]?.user_aliases).toEqual([{ alias_name: "1", alias_label: "warehouse_id" }]);
    await ws.sql("DELETE FROM people WHERE id = 7");
    await runOk(app);
    expect(held()).toEqual(await expected());
  });

  it("users Braze refuses, and values it cannot hold, land in the ledger with the reason (key redacted); they succeed once fixed", async () => {
    const app = await setup({ rows: 50 });
    refused.add("p8@example.com").add("p49@example.com");
    await ws.sql(`UPDATE people SET last_name = repeat('x', 300) WHERE id = 20`);
    const run = await app.engine.runNow("people");
    expect(run.status, describeRun(run)).toBe("partial");
    expect(ledgerOf(app).map((entry) => [entry.key, entry.errorCode, entry.reason.slice(0, 40)])).toEqual([
      ["13", "braze_refused", "refused with key [redacted]"],
      ["20", "invalid_value", "last_name: 300 characters, more than the"],
      ["49", "braze_refused", REASON],
      ["8", "braze_refused", REASON],
    ]);
    expect(held()).toHaveLength(46);

    refused.clear();
    await ws.sql(`UPDATE people SET last_name = 'Last20' WHERE id = 20`);
    const retry = await runOk(app);
    expect(retry.counts?.succeeded.added).toBe(4);
    expect(ledgerOf(app)).toEqual([]);
    expect(held()).toEqual(await expected());
  });

  it("paced at the declared limit, a sync earns no 429; a storm of 429s still delivers every user", async () => {
    const app = await setup({ rows: 600, limit: { requests: 3, windowMs: 500 } });
    await runOk(app);
    expect(server.fake.counters.rateLimited).toBe(0);
    expect(trackCalls()).toHaveLength(8);
    await ws.sql(renameSql([...Array(600).keys()].map((i) => i + 1)));
    server.fake.throttle(3);
    await runOk(app);
    expect(server.fake.counters.rateLimited).toBe(3);
    expect(held()).toEqual(await expected());
  });

  it("a key revoked mid-run fails the run naming apiKey; the next run with the new key completes the delta", async () => {
    const app = await setup({ rows: 750 });
    await runOk(app);
    await ws.sql(renameSql([...Array(750).keys()].map((i) => i + 1)));
    let batches = 0;
    app.engine.on("batch", () => {
      if (++batches === 3) server.fake.setApiKey("rotated-braze-key");
    });
    const broken = await app.engine.runNow("people");
    expect(broken.status).toBe("failed");
    expect(broken.error?.code).toBe("http_401");
    expect(broken.error?.message).toMatch(/apiKey|API key/);
    expect(JSON.stringify(broken)).not.toContain(FAKE_API_KEY);
    const delivered = broken.counts?.succeeded.changed ?? 0;
    expect(delivered).toBeGreaterThanOrEqual(3 * 75);
    expect(delivered).toBeLessThan(750);

    const fixed = await ws.reopen(app, { BRAZE_API_KEY: "rotated-braze-key" });
    const run = await runOk(fixed);
    expect(run.counts?.planned).toEqual({ added: 0, changed: 750 - delivered, removed: 0 });
    expect(held()).toEqual(await expected());
  });
});
