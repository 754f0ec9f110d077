import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY } from "../../plugins/braze/fake/options.ts";
import { type BrazeFakeServer, startBrazeFake } from "../../plugins/braze/fake/server.ts";
import { loadConfig } from "../../src/host/load-config.ts";
import { openSyncline } from "../../src/host/open.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import { ledgerRows, openRunCount, snapshotRows } from "../../src/state/inspect/index.ts";
import { type Config, configWith, dir, GOOD, seedBadInputs, sync } from "../support/bad-input.ts";
import { Receiver } from "../support/receiver.ts";

// Commands, the state file, `syncline check` and the primary key's typo: bad-input-cli.test.ts.
beforeAll(seedBadInputs);

describe("bad input: configuration (refused at start, naming the path and the fix)", () => {
  const cases: Array<[string, (c: Config & typeof GOOD) => void, string]> = [
    [
      "wrong type for primaryKey",
      (c) => (sync(c).primaryKey = 42),
      "syncs.good.primaryKey: must be a column name or a list",
    ],
    ["empty primaryKey list", (c) => (sync(c).primaryKey = []), "syncs.good.primaryKey"],
    ["unknown top-level key", (c) => (c.sycns = {}), 'sycns: unknown key — did you mean "syncs"?'],
    ["unknown sync key", (c) => (sync(c).mapings = {}), 'syncs.good.mapings: unknown key — did you mean "mapping"?'],
    ["missing model", (c) => delete sync(c).model, "syncs.good.model: required"],
    ["model with two kinds", (c) => (sync(c).model = { sql: "select 1", table: "x" }), "syncs.good.model"],
    ["empty mapping", (c) => (sync(c).mapping = {}), "syncs.good.mapping: must map at least one destination field"],
    ["mapping to a non-string", (c) => (sync(c).mapping = { email: 5 }), "syncs.good.mapping.email"],
    [
      "unknown mode",
      (c) => (sync(c).mode = "replace"),
      'syncs.good.mode: must be "upsert", "update", "insert" or "mirror"',
    ],
    [
      "unknown source",
      (c) => (sync(c).source = "lake"),
      'syncs.good.source: unknown source "lake" — defined sources: wh',
    ],
    ["unknown destination", (c) => (sync(c).destination = "crm"), 'syncs.good.destination: unknown destination "crm"'],
    ["unknown source type", (c) => (c.sources.wh.type = "oracle"), 'sources.wh.type: unknown type "oracle"'],
    [
      "a destination used as a source",
      (c) => (c.sources.wh.type = "webhook"),
      'sources.wh.type: "webhook" is a destination, not a source',
    ],
    [
      "unknown plugin option",
      (c) => ((c.destinations.out as Config).colour = "red"),
      "destinations.out.colour: unknown key",
    ],
    ["missing plugin option", (c) => delete (c.destinations.out as Config).path, "destinations.out.path: required"],
    ["bad cron", (c) => (sync(c).schedule = "61 * * * *"), 'syncs.good.schedule: invalid cron expression "61 * * * *"'],
    ["bad sync name", (c) => ((c as Config).syncs = { "bad name!": c.syncs.good }), "syncs.bad name!"],
    ["negative batch size", (c) => (sync(c).batchSize = -5), "syncs.good.batchSize"],
    ["delete guard over 100%", (c) => (sync(c).deleteGuard = { maxPercent: 150 }), "syncs.good.deleteGuard.maxPercent"],
    ["short API token", (c) => (c.server = { tokens: ["short"] }), "server.tokens.0: must be at least 16 characters"],
    [
      "missing env var",
      (c) => ((c.destinations.out as Config).path = "${SYNCLINE_TEST_UNSET_DIR}"),
      "environment variable SYNCLINE_TEST_UNSET_DIR is not set",
    ],
    [
      "missing plugin package",
      (c) => (c.plugins = ["syncline-plugin-nope"]),
      'plugin package "syncline-plugin-nope" is not installed',
    ],
    [
      "plugin path escaping the config dir",
      (c) => (c.plugins = ["../../etc/passwd.js"]),
      "outside the config's directory",
    ],
    [
      "an unterminated ${ in a value",
      (c) => ((c.destinations.out as Config).path = "./out-${OUT_DIR"),
      "destinations.out.path: unterminated ${ — close it with } (${OUT_DIR}), or write $${ for a literal ${",
    ],
    [
      "a changelog retention of zero days",
      (c) => ((c as Config).changelog = { retentionDays: 0 }),
      "changelog.retentionDays: must be at least 1 day",
    ],
    [
      "a sync's changelog that is not a switch",
      (c) => (sync(c).changelog = "yes"),
      "syncs.good.changelog: must be true, false or { enabled: <boolean>, values: <boolean> }",
    ],
    ["a negative inspector size", (c) => ((c as Config).inspector = { calls: -1 }), "inspector.calls: must be 0 (off)"],
    [
      "a sequence naming an unknown sync",
      (c) => ((c as Config).sequences = { nightly: { syncs: ["god"] } }),
      'sequences.nightly.syncs.0: unknown sync "god" — did you mean "good"?',
    ],
    [
      "a sequence listing a sync twice",
      (c) => ((c as Config).sequences = { nightly: { syncs: ["good", "good"] } }),
      'sequences.nightly.syncs.1: sync "good" is listed twice — list each sync once',
    ],
    [
      "a sequence with no syncs",
      (c) => ((c as Config).sequences = { nightly: { syncs: [] } }),
      "sequences.nightly.syncs: must list at least one sync",
    ],
    [
      "a sequence named like a sync",
      (c) => ((c as Config).sequences = { good: { syncs: ["good"] } }),
      'sequences.good: "good" is also the name of a sync — give the sequence another name',
    ],
    [
      "a sequence with an unknown onFailure",
      (c) => ((c as Config).sequences = { nightly: { syncs: ["good"], onFailure: "retry" } }),
      'sequences.nightly.onFailure: must be "stop" or "continue"',
    ],
    [
      "a sequence with a bad cron",
      (c) => ((c as Config).sequences = { nightly: { syncs: ["good"], schedule: "every night" } }),
      'sequences.nightly.schedule: invalid cron expression "every night"',
    ],
    [
      "a sequence with a misspelt key",
      (c) => ((c as Config).sequences = { nightly: { sync: ["good"] } }),
      'sequences.nightly.sync: unknown key — did you mean "syncs"?',
    ],
    [
      "sendChangedFieldsOnly to a destination that replaces whole records",
      (c) => (sync(c).sendChangedFieldsOnly = true),
      'syncs.good.sendChangedFieldsOnly: destination "out" (file) replaces whole records on update',
    ],
    [
      "sendChangedFieldsOnly with the diff in the warehouse",
      (c) => {
        (c.destinations as Config).crm = { type: "hubspot", accessToken: "pat-test" };
        Object.assign(sync(c), { destination: "crm", sendChangedFieldsOnly: true, diff: "warehouse" });
      },
      "syncs.good.sendChangedFieldsOnly: not available with diff: warehouse",
    ],
    ["unknown nulls policy", (c) => (sync(c).nulls = "drop"), 'syncs.good.nulls: must be "send" or "skip"'],
    [
      "Braze user alias without its label",
      (c) => {
        c.destinations.out = { type: "braze", apiKey: "braze-rest-key" } as never;
        sync(c).options = { identifier: "user_alias" };
      },
      "syncs.good.options.aliasLabel: identifier: user_alias needs aliasLabel",
    ],
    [
      "unknown Braze sync option",
      (c) => {
        c.destinations.out = { type: "braze", apiKey: "braze-rest-key" } as never;
        sync(c).options = { idProperty: "email" };
      },
      "syncs.good.options.idProperty: unknown key",
    ],
    [
      "sync logs into a read-only DuckDB file",
      (c) => Object.assign(c.sources.wh, { readOnly: true, syncLogs: { schema: "logs" } }),
      'sources.wh.syncLogs: sync "good" loads its logs into source "wh": `diff: warehouse` keeps',
    ],
    ["an unknown syncLogs key", (c) => (sync(c).syncLogs = { schema: "logs", table: "runs" }), "syncs.good.syncLogs"],
    [
      "dbt model without a manifest",
      (c) => (sync(c).model = { dbt: "customers", manifest: "./nope.json" }),
      "syncs.good.model.dbt",
    ],
  ];
  it.each(cases)("%s", async (_name, mutate, expected) => {
    const error = await loadConfig(configWith(mutate), {}).then(
      () => undefined,
      (e: { describe?: () => string; message: string }) => e.describe?.() ?? e.message,
    );
    expect(error).toContain(expected);
  });
});

describe("bad input: models and plugins (the run fails or reports; other syncs keep working; state stays consistent)", () => {
  let app: Awaited<ReturnType<typeof openSyncline>>;
  const braze = { ...GOOD.syncs.good, object: "users", mapping: { external_id: "id", email: "email" } };
  const syncs: Record<string, Record<string, unknown>> = {
    good: GOOD.syncs.good,
    sqlError: { ...GOOD.syncs.good, model: { sql: "SELEC id FROM people" } },
    missingTable: { ...GOOD.syncs.good, model: { table: "nobody" } },
    missingColumn: { ...GOOD.syncs.good, mapping: { email: "e_mail" } },
    missingKey: { ...GOOD.syncs.good, primaryKey: "uuid" },
    duplicateKeys: { ...GOOD.syncs.good, model: { table: "dupes" } },
    nullKeys: { ...GOOD.syncs.good, model: { table: "nulls" } },
    oddTypes: { ...GOOD.syncs.good, model: { table: "weird" }, mapping: { email: "email", n: "n" } },
    tooLarge: { ...GOOD.syncs.good, model: { table: "big" }, destination: "hook" },
    throws: { ...GOOD.syncs.good, destination: "throws" },
    hangs: { ...GOOD.syncs.good, destination: "hangs" },
    tooFew: { ...GOOD.syncs.good, destination: "tooFew" },
    tooMany: { ...GOOD.syncs.good, destination: "tooMany" },
    malformed: { ...GOOD.syncs.good, destination: "malformed" },
    notArray: { ...GOOD.syncs.good, destination: "notArray" },
    keyAsNumber: { ...GOOD.syncs.good, destination: "keyAsNumber" },
    duplicates: { ...GOOD.syncs.good, destination: "duplicates" },
    hookNumericKeys: { ...GOOD.syncs.good, destination: "hookNumericKeys" },
    hookUnknownStatus: { ...GOOD.syncs.good, destination: "hookUnknownStatus" },
    brazeWrongKey: { ...braze, destination: "brazeWrongKey" },
    brazeTooLong: { ...braze, model: { table: "big" }, destination: "braze" },
  };
  // Webhook receivers whose per-record answer is slightly off: the key echoed as a number, a
  // status outside the documented set. Neither may count a record as delivered.
  const numericKeys = new Receiver();
  numericKeys.answer = (batch) => ({ results: batch.records.map((r) => ({ key: Number(r.key), status: "ok" })) });
  const unknownStatus = new Receiver();
  let brazeFake: BrazeFakeServer;
  unknownStatus.answer = (batch) => ({ results: batch.records.map((r) => ({ key: r.key, status: "success" })) });

  beforeAll(async () => {
    await numericKeys.start();
    await unknownStatus.start();
    brazeFake = await startBrazeFake();
    const file = join(dir, "runs.yaml");
    writeFileSync(
      file,
      JSON.stringify({
        state: "./runs-state.db",
        plugins: ["./bad-plugin.js"],
        sources: GOOD.sources,
        destinations: {
          out: GOOD.destinations.out,
          hook: { type: "webhook", url: "http://127.0.0.1:9/never", maxBytes: 100_000 },
          throws: { type: "misbehaving", behaviour: "throws" },
          hangs: { type: "misbehaving", behaviour: "hangs" },
          tooFew: { type: "misbehaving", behaviour: "too-few" },
          tooMany: { type: "misbehaving", behaviour: "too-many" },
          malformed: { type: "misbehaving", behaviour: "malformed" },
          notArray: { type: "misbehaving", behaviour: "not-an-array" },
          keyAsNumber: { type: "misbehaving", behaviour: "key-as-number" },
          duplicates: { type: "misbehaving", behaviour: "duplicates" },
          hookNumericKeys: { type: "webhook", url: numericKeys.url },
          hookUnknownStatus: { type: "webhook", url: unknownStatus.url },
          braze: { type: "braze", apiKey: FAKE_API_KEY, baseUrl: brazeFake.url },
          brazeWrongKey: { type: "braze", apiKey: "a-revoked-braze-key", baseUrl: brazeFake.url },
        },
        syncs,
      }),
    );
    app = await openSyncline(file, { logger: silentLogger });
  });
  afterAll(async () => {
    await app?.close();
    await numericKeys.stop();
    await unknownStatus.stop();
    await brazeFake?.close();
  });

  const cases: Array<[string, string, string, string | RegExp]> = [
    ["SQL syntax error", "sqlError", "failed", /Parser Error.*correct the model's SQL/s],
    ["missing table", "missingTable", "failed", /nobody.*does not exist/s],
    [
      "mapped column the model lacks",
      "missingColumn",
      "failed",
      /^syncs\.missingColumn\.mapping\.email: column "e_mail" is not in the model — did you mean "email"\?/,
    ],
    [
      "primary key column the model lacks",
      "missingKey",
      "failed",
      /^syncs\.missingKey\.primaryKey: column "uuid" is not in the model.*the model's columns: id, email/s,
    ],
    ["duplicate primary keys", "duplicateKeys", "succeeded", "duplicate primary key (2 rows)"],
    ["null primary key", "nullKeys", "succeeded", "null or empty primary key"],
    ["unusual column types", "oddTypes", "succeeded", ""],
    ["a row larger than the destination's byte limit", "tooLarge", "partial", "accepts at most 100000 bytes per call"],
    ["plugin throws", "throws", "failed", "cannot read properties of undefined"],
    ["plugin hangs past its timeout", "hangs", "partial", "took longer than 300 ms"],
    ["plugin returns too few outcomes", "tooFew", "partial", "returned no outcome for this record"],
    [
      "plugin returns an outcome for a key not in the batch",
      "tooMany",
      "partial",
      /misbehaving.*"not-in-batch".*not in the batch/,
    ],
    ["plugin echoes keys as numbers", "keyAsNumber", "partial", /misbehaving.*key 1 \(a number.*not in the batch/],
    ["plugin returns two outcomes for a record", "duplicates", "partial", "returned 2 outcomes for this record"],
    [
      "webhook receiver echoes keys as numbers",
      "hookNumericKeys",
      "partial",
      /receiver's per-record answer is malformed.*results\.0\.key/,
    ],
    [
      "webhook receiver answers a status outside the documented set",
      "hookUnknownStatus",
      "partial",
      /receiver's per-record answer is malformed.*results\.0\.status/,
    ],
    ["plugin returns malformed outcomes", "malformed", "partial", "malformed outcome"],
    ["plugin returns something else than an array", "notArray", "partial", "did not return an array of outcomes"],
    ["Braze refuses the REST API key", "brazeWrongKey", "failed", "Braze refused the REST API key (HTTP 401"],
    [
      "a value Braze cannot hold",
      "brazeTooLong",
      "partial",
      "email: 200000 characters, more than the 255 Braze keeps of a string attribute",
    ],
  ];

  const UNCONFIRMED = new Set(["tooMany", "keyAsNumber", "duplicates", "hookNumericKeys", "hookUnknownStatus"]);

  it.each(cases)(
    "%s",
    async (_name, name, status, expected) => {
      const run = await app.engine.runNow(name, {}, "test");
      expect(run.status).toBe(status);
      const failures = ledgerRows(app.state.sqlite, name);
      const text = [
        run.error?.message ?? "",
        ...run.invalidSamples.map((s) => s.reason),
        ...failures.map((f) => f.reason),
      ].join("\n");
      if (expected instanceof RegExp) expect(text).toMatch(expected);
      else expect(text).toContain(expected);
      // The engine keeps serving other syncs, and its state stays consistent.
      const good = await app.engine.runNow("good", {}, "test");
      expect(["succeeded"]).toContain(good.status);
      expect(openRunCount(app.state.sqlite)).toBe(0);
      const orphans = snapshotRows(app.state.sqlite, name).filter((row) => row.hash === "");
      if (status === "succeeded") expect(orphans).toHaveLength(0);
      // A plugin's or a receiver's mistake never counts a record as delivered: all 5 wait in the ledger.
      if (UNCONFIRMED.has(name)) {
        expect(failures).toHaveLength(5);
        expect(run.counts?.succeeded).toEqual({ added: 0, changed: 0, removed: 0 });
      }
    },
    60_000,
  );
});
