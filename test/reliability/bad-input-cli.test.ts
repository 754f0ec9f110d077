import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChecks } from "../../src/host/checks.ts";
import { loadConfig } from "../../src/host/load-config.ts";
import { openSyncline } from "../../src/host/open.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import { rowCount } from "../../src/state/inspect/index.ts";
import { type Config, configWith, dir, GOOD, seedBadInputs } from "../support/bad-input.ts";
import { runCli } from "../support/cli.ts";
import { Harness, people } from "../support/harness.ts";
import { warnings } from "../support/warning-logger.ts";

// Bad input the command line, the state file and `syncline check` meet; configuration, models
// and plugins: bad-input.test.ts.
beforeAll(seedBadInputs);

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
