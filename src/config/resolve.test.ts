import { describe, expect, it } from "vitest";
import { DEFAULTS } from "./defaults.ts";
import { resolveCapabilities, resolveConfig } from "./resolve.ts";
import { resolveDeleteGuard } from "./resolve-sync.ts";
import type { RawConfig } from "./schema.ts";

/** From wh's people to crm's contacts, every option left to its default. */
const SYNC = { source: "wh", destination: "crm", object: "contacts", model: { table: "people" }, primaryKey: "id" };
const MAPPED = { ...SYNC, mapping: { email: "email" } };

function resolve(extra: Partial<RawConfig> = {}) {
  const problems: string[] = [];
  const raw: RawConfig = {
    sources: { wh: { type: "duckdb" } },
    destinations: { crm: { type: "hubspot" } },
    syncs: { contacts: MAPPED },
    ...extra,
  };
  const config = resolveConfig(raw, { dir: "/etc/syncline", env: {}, flags: {} }, problems);
  return { config, problems };
}

describe("resolveConfig", () => {
  it("fills every default of a minimal config from DEFAULTS", () => {
    const { config, problems } = resolve();
    expect(problems).toEqual([]);
    expect(config.syncs.contacts).toEqual({
      ...MAPPED,
      primaryKey: ["id"],
      schedule: undefined,
      mode: DEFAULTS.mode,
      options: {},
      deleteGuard: { maxPercent: DEFAULTS.deleteGuard.maxPercent, minRecords: DEFAULTS.deleteGuard.minRecords },
      batchSize: undefined,
      maxWaitMs: DEFAULTS.sink.maxRateLimitWaitMs,
      diff: undefined,
      sendChangedFieldsOnly: DEFAULTS.sendChangedFieldsOnly,
      nulls: DEFAULTS.nulls,
      validateMapping: DEFAULTS.validateMapping,
      syncLogs: undefined,
      changelog: { enabled: DEFAULTS.changelog.enabled, values: DEFAULTS.changelog.values },
    });
    expect(config.plugins).toEqual([]);
    expect(config.sequences).toEqual({});
    expect(config.server.console).toEqual({
      enabled: DEFAULTS.console.enabled,
      sessionMinutes: DEFAULTS.console.sessionMinutes,
    });
    expect(config.changelog).toEqual({ retentionDays: DEFAULTS.changelog.retentionDays });
    expect(config.inspector).toEqual(DEFAULTS.inspector);
    expect(config.alerts).toBeUndefined();
    expect(config.settings.port).toEqual({ value: DEFAULTS.port, from: "default" });
    expect(config.settings.logLevel).toEqual({ value: DEFAULTS.logLevel, from: "default" });
  });

  it("keeps what the config says", () => {
    const { config } = resolve({
      syncs: {
        contacts: {
          ...MAPPED,
          primaryKey: ["a", "b"],
          mode: "mirror",
          nulls: "skip",
          maxWaitMs: 0,
          validateMapping: false,
          changelog: false,
        },
      },
      sequences: { nightly: { syncs: ["contacts"], onFailure: "continue" } },
      server: { console: false },
      changelog: { retentionDays: 7 },
      inspector: { calls: 0 },
    });
    expect(config.syncs.contacts).toMatchObject({
      primaryKey: ["a", "b"],
      mode: "mirror",
      nulls: "skip",
      maxWaitMs: 0,
      validateMapping: false,
      changelog: { enabled: false, values: false },
    });
    expect(config.sequences.nightly).toEqual({ syncs: ["contacts"], onFailure: "continue" });
    expect(config.server.console).toEqual({ enabled: false, sessionMinutes: DEFAULTS.console.sessionMinutes });
    expect(config.changelog.retentionDays).toBe(7);
    expect(config.inspector).toEqual({ calls: 0, bodies: DEFAULTS.inspector.bodies });
  });

  it("takes sync logs from the sync, else its source, naming the path that turned them on", () => {
    const sources = { wh: { type: "duckdb", syncLogs: { schema: "logs" } } };
    expect(resolve({ sources }).config.syncs.contacts?.syncLogs).toEqual({
      schema: "logs",
      at: "sources.wh.syncLogs",
    });
    const own = resolve({ sources, syncs: { contacts: { ...MAPPED, syncLogs: true } } }).config;
    expect(own.syncs.contacts?.syncLogs).toEqual({ schema: DEFAULTS.syncLogs.schema, at: "syncs.contacts.syncLogs" });
    const off = resolve({ sources, syncs: { contacts: { ...MAPPED, syncLogs: false } } }).config;
    expect(off.syncs.contacts?.syncLogs).toBeUndefined();
  });

  it("fills alert channels' timeouts, PagerDuty's endpoint, rules' severity and the evaluation interval", () => {
    const { config } = resolve({
      alerts: {
        channels: {
          pd: { type: "pagerduty", routingKey: "0".repeat(32) },
          hook: { type: "webhook", url: "https://hooks.example.com/a", timeoutMs: 500 },
        },
        rules: { failed: { type: "run_failed" }, slow: { type: "slow_run", after: 60_000, severity: "warning" } },
      },
    });
    expect(config.alerts?.channels.pd).toMatchObject({
      name: "pd",
      timeoutMs: DEFAULTS.alerts.timeoutMs,
      url: DEFAULTS.alerts.pagerdutyUrl,
    });
    expect(config.alerts?.channels.hook).toMatchObject({ name: "hook", timeoutMs: 500 });
    expect(config.alerts?.rules.failed?.severity).toBe(DEFAULTS.alerts.severity);
    expect(config.alerts?.rules.slow?.severity).toBe("warning");
    expect(config.alerts?.evaluateEveryMs).toBe(DEFAULTS.alerts.evaluateEveryMs);
  });
});

describe("resolveDeleteGuard", () => {
  it("applies the default share above its minimum of records, a chosen share from the first record", () => {
    expect(resolveDeleteGuard()).toEqual({ maxPercent: 20, minRecords: 10 });
    expect(resolveDeleteGuard({ maxPercent: 50 })).toEqual({ maxPercent: 50, minRecords: 0 });
    expect(resolveDeleteGuard({ maxCount: 3 })).toEqual({ maxPercent: 20, minRecords: 10, maxCount: 3 });
  });
});

describe("resolveCapabilities", () => {
  it("fills the concurrency and call timeout a plugin leaves out", () => {
    const declared = { operations: ["upsert" as const], maxRecords: 10 };
    expect(resolveCapabilities(declared)).toEqual({
      ...declared,
      concurrency: DEFAULTS.sink.concurrency,
      timeoutMs: DEFAULTS.sink.timeoutMs,
    });
    expect(resolveCapabilities({ ...declared, concurrency: 1, timeoutMs: 5 })).toMatchObject({
      concurrency: 1,
      timeoutMs: 5,
    });
  });
});
