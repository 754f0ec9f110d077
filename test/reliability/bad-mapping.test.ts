// Bad input: a mapping that does not fit the destination's fields. `check` and `plan` name the
// problem before anything is sent; a run coerces what converts and rejects, without an API
// call, a record whose value does not. Real parts: a DuckDB model, the real engine and CLI,
// and the fake HubSpot (typed properties, validated as HubSpot does) on a loopback server.
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_TOKEN } from "../../plugins/hubspot/fake/options.ts";
import { type HubSpotFakeServer, startHubSpotFake } from "../../plugins/hubspot/fake/server.ts";
import { adminQuery, postgresReachable, TEST_POSTGRES_URL } from "../../plugins/postgres/test-server.ts";
import { preview } from "../../src/engine/run/preview.ts";
import { runChecks } from "../../src/host/checks.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import { runCli } from "../support/cli.ts";
import { ledgerOf, Workspace } from "../support/connector-e2e.ts";

let server: HubSpotFakeServer;
let ws: Workspace;

const sync = (mapping: Record<string, string>, extra = "") =>
  `    source: wh
    model: { table: people }
    primaryKey: id
    destination: crm
    object: contacts
${extra}    mapping: ${JSON.stringify(mapping)}`;

beforeAll(async () => {
  server = await startHubSpotFake({ rateLimit: { requests: 1_000, windowMs: 1_000 } });
  ws = new Workspace();
  // Person 2's revenue is not a number; everyone's `born` is a TIMESTAMP.
  await ws.sql(`CREATE TABLE people AS SELECT i::INTEGER AS id, 'p' || i || '@example.com' AS email,
    'First' || i AS first_name, CASE WHEN i = 2 THEN 'lots' ELSE (i * 1000)::VARCHAR END AS revenue,
    TIMESTAMP '2024-01-01 10:00:00' AS born FROM range(1, 6) t(i)`);
  writeFileSync(
    ws.configPath,
    `state: ./state.db
sources:
  wh: { type: duckdb, path: ./warehouse.duckdb }
destinations:
  crm:
    type: hubspot
    accessToken: \${HUBSPOT_TOKEN}
    baseUrl: ${server.url}
syncs:
  good:
${sync({ email: "email", firstname: "first_name", annualrevenue: "revenue" })}
  typo:
${sync({ email: "email", firstnme: "first_name" })}
  wrongType:
${sync({ email: "email", newsletter_opt_in: "born" })}
  required:
${sync({ size: "revenue" }, "    options: { idProperty: size }\n").replace("object: contacts", "object: p_widgets")}
  unchecked:
${sync({ email: "email", firstnme: "first_name" }, "    validateMapping: false\n")}
`,
  );
});

afterAll(async () => {
  await ws?.close();
  await server?.close();
});

describe("bad input: a mapping that does not fit the destination's fields", () => {
  it("syncline check names the unknown field, the type mismatch and the required field", async () => {
    const app = await ws.open({ HUBSPOT_TOKEN: FAKE_TOKEN });
    const results = await runChecks(app.config, silentLogger, AbortSignal.timeout(30_000));
    const mapping = Object.fromEntries(results.filter((r) => r.kind === "mapping").map((r) => [r.name, r]));
    expect(mapping.good?.problem).toBeUndefined();
    expect(mapping.good?.notes).toEqual([
      'syncs.good.mapping.annualrevenue: column "revenue" (VARCHAR) is converted to number; a record whose value does not convert is rejected before sending',
    ]);
    expect(mapping.typo?.problem).toBe(
      'syncs.typo.mapping.firstnme: "firstnme" is not a writable field of contacts in crm — did you mean "firstname"? (fix the field name, or create the field in crm)',
    );
    expect(mapping.wrongType?.problem).toBe(
      'syncs.wrongType.mapping.newsletter_opt_in: column "born" (TIMESTAMP) cannot be sent to "newsletter_opt_in", which takes boolean (bool) (map a column of that type, or cast it in the model)',
    );
    expect(mapping.required?.problem).toBe(
      'syncs.required.mapping: 2-12345 in crm requires "widget_id", which is not mapped (map a column to it: an upsert creates records)',
    );
    expect(mapping.unchecked).toBeUndefined();
    // The destination was described once per object, for all the syncs.
    expect(server.fake.calls.filter((call) => call.path === "/crm/v3/properties/contacts")).toHaveLength(1);
  });

  it("the CLI's check exits 1 with the messages", async () => {
    const result = await runCli(["check", "--config", ws.configPath], { env: { HUBSPOT_TOKEN: FAKE_TOKEN } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('did you mean "firstname"?');
    expect(result.stdout).toContain("note: syncs.good.mapping.annualrevenue");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it("plan counts the records a run would reject unsent, with the reason", async () => {
    const app = await ws.open({ HUBSPOT_TOKEN: FAKE_TOKEN });
    const result = await preview(app.state.sqlite, app.engine.sync("good"), silentLogger);
    expect(result.mapping?.problems).toEqual([]);
    expect(result.unsendable).toEqual({
      count: 1,
      samples: [{ key: "2", reason: 'field "annualrevenue" takes a number; got the string "lots"' }],
    });
    const cli = await runCli(["plan", "typo", "--config", ws.configPath], { env: { HUBSPOT_TOKEN: FAKE_TOKEN } });
    expect(cli.stdout).toContain('mapping problem: syncs.typo.mapping.firstnme: "firstnme" is not a writable field');
  }, 30_000);

  it("a run sends the others with numbers coerced, and rejects the bad value without an API call", async () => {
    const app = await ws.open({ HUBSPOT_TOKEN: FAKE_TOKEN });
    const before = server.fake.calls.length;
    const run = await app.engine.runNow("good");
    expect(run.status).toBe("partial");
    expect(run.counts?.succeeded.added).toBe(4);
    expect(run.counts?.failed.added).toBe(1);
    const calls = server.fake.calls.slice(before);
    expect(calls.map((call) => call.path)).toEqual([
      "/crm/v3/properties/contacts",
      "/crm/v3/objects/contacts/batch/upsert",
    ]);
    expect(calls[1]?.records).toBe(4);
    expect(server.fake.records("contacts").map((record) => record.properties.email)).not.toContain("p2@example.com");
    const [entry] = ledgerOf(app, "good");
    expect(entry).toMatchObject({ key: "2", errorCode: "invalid_value", attempts: 0 });
    expect(entry?.reason).toContain('field "annualrevenue" takes a number; got the string "lots"');
  });

  it("when the fields cannot be read, the run still sends (and the destination refuses the bad value)", async () => {
    await ws.sql("UPDATE people SET email = 'q' || id || '@example.com'");
    server.fake.fail({ status: 503, times: 4, match: (request) => request.url.includes("/crm/v3/properties/") });
    const app = await ws.open({ HUBSPOT_TOKEN: FAKE_TOKEN });
    const run = await app.engine.runNow("good");
    expect(run.status).toBe("partial");
    const [entry] = ledgerOf(app, "good");
    expect(entry?.key).toBe("2");
    expect(entry?.reason).toContain("INVALID_FLOAT");
  });
});

describe("bad input: a mapping that does not fit a Postgres table's columns", () => {
  it("syncline check names the column meant and the NOT NULL column left unmapped, before any run", async () => {
    if (!(await postgresReachable())) throw new Error(`this test needs Postgres at ${TEST_POSTGRES_URL}`);
    await adminQuery(`DROP TABLE IF EXISTS mapcheck_people;
      CREATE TABLE mapcheck_people (id int PRIMARY KEY, email text NOT NULL, score int)`);
    const table = new Workspace();
    try {
      await table.seed(3);
      table.writeConfig({
        destination: `type: postgres\nurl: ${TEST_POSTGRES_URL}`,
        object: "mapcheck_people",
        mapping: { id: "id", emial: "email", score: "first_name" },
      });
      const app = await table.open();
      const results = await runChecks(app.config, silentLogger, AbortSignal.timeout(30_000));
      const problem = results.find((result) => result.kind === "mapping")?.problem ?? "";
      expect(problem).toContain(
        'syncs.people.mapping.emial: "emial" is not a writable field of mapcheck_people in dest — did you mean "email"?',
      );
      expect(problem).toContain('syncs.people.mapping: mapcheck_people in dest requires "email", which is not mapped');
      const notes = results.find((result) => result.kind === "mapping")?.notes ?? [];
      expect(notes.join("\n")).toContain('column "first_name" (VARCHAR) is converted to integer');
    } finally {
      await table.close();
      await adminQuery("DROP TABLE IF EXISTS mapcheck_people");
    }
  });
});
