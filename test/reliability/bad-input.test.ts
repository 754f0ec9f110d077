import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY } from "../../plugins/braze/fake/options.ts";
import { type BrazeFakeServer, startBrazeFake } from "../../plugins/braze/fake/server.ts";
import { runChecks } from "../../src/host/checks.ts";
import { loadConfig } from "../../src/host/load-config.ts";
import { openSyncline } from "../../src/host/open.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import { ledgerRows, openRunCount, rowCount, snapshotRows } from "../../src/state/inspect/index.ts";
import { runCli } from "../support/cli.ts";
import { Harness, people } from "../support/harness.ts";
import { Receiver } from "../support/receiver.ts";
import { warnings } from "../support/warning-logger.ts";

const dir = mkdtempSync(join(tmpdir(), "syncline-bad-"));

const GOOD = {
  sources: { wh: { type: "duckdb", path: "./wh.duckdb" } },
  destinations: { out: { type: "file", path: "./out" } },
  syncs: {
    good: {
      source: "wh",
      model: { table: "people" },
      primaryKey: "id",
      destination: "out",
      object: "people",
      mapping: { email: "email" },
    },
  },
};

type Config = Record<string, unknown>;
function configWith(mutate: (config: Config & typeof GOOD) => void): string {
  const config = structuredClone(GOOD) as Config & typeof GOOD;
  mutate(config);
  const file = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}
const sync = (c: Config & typeof GOOD) => c.syncs.good as Record<string, unknown>;

beforeAll(async () => {
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"));
  const connection = await instance.connect();
  await connection.run(`
    CREATE TABLE people AS SELECT i AS id, 'p' || i || '@example.com' AS email FROM range(1, 6) t(i);
    CREATE TABLE dupes AS SELECT * FROM (VALUES (1, 'a'), (1, 'b'), (2, 'c')) t(id, email);
    CREATE TABLE nulls AS SELECT * FROM (VALUES (NULL, 'a'), (2, 'c')) t(id, email);
    CREATE TABLE weird AS SELECT 1 AS id, INTERVAL 3 DAY AS email, 1::UHUGEINT AS n;
    CREATE TABLE big AS SELECT 1 AS id, repeat('x', 200000) AS email;`);
  connection.closeSync();
  instance.closeSync();
  copyFileSync(join(import.meta.dirname, "bad-plugin.js.txt"), join(dir, "bad-plugin.js"));
});

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

describe("bad input: a typo in primaryKey (the run fails naming it; fixing it costs no resync)", () => {
  let harness: Harness;
  afterAll(() => harness?.close());

  it("keeps the sync's snapshot until the model has been read with the new key", async () => {
    harness = await new Harness().setup();
    await harness.sql(people(1, 30));
    expect((await harness.run()).status).toBe("succeeded");
    const written = harness.destination.writes.length;

    await harness.reconfigure({ primaryKey: ["idd"] });
    const typo = await harness.run();
    expect(typo.status).toBe("failed");
    expect(typo.error?.message).toMatch(/primaryKey: column "idd" is not in the model — did you mean "id"\?/);
    expect(typo.error?.message).not.toContain("SELECT");

    await harness.reconfigure({ primaryKey: ["id"] });
    const fixed = await harness.run();
    expect(fixed.status).toBe("succeeded");
    expect(fixed.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(harness.destination.writes.length).toBe(written);
  });

  it("resets it, once the model is read, when the key really changed", async () => {
    await harness.reconfigure({ primaryKey: ["email"] });
    const rekeyed = await harness.run();
    expect(rekeyed.status).toBe("succeeded");
    expect(rekeyed.counts?.planned).toEqual({ added: 30, changed: 0, removed: 0 });
  });
});

describe("bad input: syncline check reads each model's columns (zero rows) and names the one missing", () => {
  it("passes a good sync and names the key or mapped column a sync's model lacks", async () => {
    const file = configWith((c) => {
      (c as Config).syncs = {
        good: c.syncs.good,
        typoKey: { ...c.syncs.good, primaryKey: ["id", "emial"] },
        typoColumn: { ...c.syncs.good, mapping: { email: "email", name: "nmae" } },
      };
    });
    const config = await loadConfig(file, {});
    const results = await runChecks(config, silentLogger, AbortSignal.timeout(30_000));
    const syncs = Object.fromEntries(results.filter((r) => r.kind === "sync").map((r) => [r.name, r.problem]));
    expect(syncs.good).toBeUndefined();
    expect(syncs.typoKey).toMatch(
      /^syncs\.typoKey\.primaryKey: column "emial" is not in the model — did you mean "email"\?/,
    );
    expect(syncs.typoColumn).toMatch(/^syncs\.typoColumn\.mapping\.name: column "nmae" is not in the model/);
    for (const source of config.sources.values()) await source.plugin.close?.(sourceCloseContext(source));
  });
});

function sourceCloseContext(source: { config: unknown; state: Map<string, unknown>; baseDir: string }) {
  const { config, state, baseDir } = source;
  return { config, state, baseDir, logger: silentLogger, signal: new AbortController().signal };
}
/** The CLI as users run it, with output to pipes (not a terminal). */
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env, cwd: dir });

describe("bad input: command line (exit 2 with a usage message, never a stack trace)", () => {
  const bomb = join(dir, "bomb.yaml");
  beforeAll(() => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    writeFileSync(bomb, `${levels.join("\n")}\n`);
  });

  const cases: Array<[string, () => string[], Record<string, string>, RegExp]> = [
    ["run without a sync", () => ["run", "--config", configWith(() => {})], {}, /usage: syncline run <sync>/],
    [
      "failures without a sync",
      () => ["failures", "--config", configWith(() => {})],
      {},
      /usage: syncline failures <sync>/,
    ],
    [
      "history without a key",
      () => ["history", "good", "--config", configWith(() => {})],
      {},
      /the record's key is missing — usage: syncline history <sync> <key>/,
    ],
    [
      "calls without a destination",
      () => ["calls", "--config", configWith(() => {})],
      {},
      /usage: syncline calls <destination>/,
    ],
    [
      "state without a subcommand",
      () => ["state", "--config", configWith(() => {})],
      {},
      /usage: syncline state backup <file>/,
    ],
    [
      "a PORT that is not a port",
      () => ["serve", "--config", configWith(() => {})],
      { PORT: "eighty" },
      /PORT: "eighty" is not a port number/,
    ],
    ["a YAML alias bomb", () => ["check", "--config", bomb], {}, /alias/i],
    [
      "run with both a sync and --sequence",
      () => ["run", "good", "--sequence", "nightly", "--config", configWith(() => {})],
      {},
      /usage: syncline run --sequence <name>/,
    ],
    [
      "run --sequence naming an unknown sequence",
      () => ["run", "--sequence", "nightly", "--config", configWith(() => {})],
      {},
      /unknown sequence "nightly" — configured sequences: none/,
    ],
    [
      "an OTLP protocol traces cannot be exported with",
      () => ["run", "good", "--config", configWith(() => {})],
      { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" },
      /OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is not supported for traces.*http\/protobuf or http\/json/s,
    ],
    [
      "a trace sampler ratio out of range",
      () => ["run", "good", "--config", configWith(() => {})],
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
        OTEL_TRACES_SAMPLER: "traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "1.5",
      },
      /OTEL_TRACES_SAMPLER_ARG="1.5" is not a ratio.*from 0 to 1/s,
    ],
  ];
  it.each(cases)(
    "%s",
    async (_name, args, env, message) => {
      const result = await cli(args(), env);
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    },
    30_000,
  );
});

describe("bad input: the state file (refused when empty or damaged; nothing is silently started over)", () => {
  let stateDir: string;
  let config: string;
  let state: string;
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "syncline-bad-state-"));
    copyFileSync(join(dir, "wh.duckdb"), join(stateDir, "wh.duckdb"));
    config = join(stateDir, "syncline.yaml");
    state = join(stateDir, "state.db");
    writeFileSync(
      config,
      JSON.stringify({
        ...GOOD,
        state: "./state.db",
        syncs: { good: { ...GOOD.syncs.good, mode: "mirror" } },
      }),
    );
    const app = await openSyncline(config, { logger: silentLogger });
    expect((await app.engine.runNow("good", {}, "test")).status).toBe("succeeded");
    await app.close();
  });
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  const refusal = (error: unknown) => (error as { describe?: () => string }).describe?.() ?? String(error);

  it("a state file truncated to 0 bytes", async () => {
    const saved = readFileSync(state);
    truncateSync(state, 0);
    const error = await openSyncline(config, { logger: silentLogger }).then(async (app) => {
      await app.close();
      return "opened";
    }, refusal);
    expect(error).toContain(`state file ${state} is empty (0 bytes)`);
    expect(error).toMatch(/mirror mode.*stay in the destination/s);
    expect(error).toMatch(/restore.*backup|delete it/);
    // Nothing was written: the file is still the empty one the operator has to decide about.
    expect(readFileSync(state).length).toBe(0);
    writeFileSync(state, saved);
  });

  it("a damaged state file", async () => {
    const saved = readFileSync(state);
    writeFileSync(state, Buffer.concat([Buffer.from("this is not sqlite"), saved.subarray(100)]));
    const result = await cli(["run", "good", "--config", config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`state file ${state}`);
    expect(result.stderr).toMatch(/not a SQLite database|damaged/);
    expect(result.stderr).toMatch(/start over/);
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    writeFileSync(state, saved);
    expect(existsSync(state)).toBe(true);
  }, 30_000);
});

describe("bad input: a warehouse log schema Syncline cannot write (a warning, never a failed or blocked sync)", () => {
  it("a table's name taken in the log schema: the run succeeds, the warning says what to fix, the load waits", async () => {
    const logger = warnings();
    const harness = new Harness({ logger, syncLogs: { schema: "ops" } });
    try {
      await harness.setup();
      await harness.sql(`${people(1, 3)}; CREATE SCHEMA ops; CREATE TABLE ops.sync_changelog (note VARCHAR)`);
      const run = await harness.run();
      await harness.engine.syncLogsSettled();
      expect(run.status).toBe("succeeded");
      expect(harness.destination.records.size).toBe(3);
      const warning = logger.warned.find((w) => String(w.msg).includes("could not load the sync logs"));
      expect(warning?.msg).toContain('into schema "ops" of source "warehouse" — check that its user may create');
      expect(rowCount(harness.state.sqlite, "sync_log_pending")).toBe(1);
      // The next run is not blocked either.
      expect((await harness.run()).status).toBe("succeeded");
    } finally {
      await harness.close();
    }
  });
});
