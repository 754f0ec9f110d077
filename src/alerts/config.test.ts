import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../config/duration.ts";
import { loadConfig } from "../host/load-config.ts";

const BASE = `
sources:
  wh: { type: duckdb, path: ":memory:" }
destinations:
  out: { type: file, path: ./out }
syncs:
  contacts:
    source: wh
    model: { sql: "select 1 as id, 'a' as email" }
    primaryKey: id
    destination: out
    object: contacts
    mapping: { email: email }
`;

const ALERTS = `
server: { publicUrl: "https://syncline.example.com/" }
alerts:
  channels:
    ops: { type: slack, url: "https://hooks.slack.test/services/T000/B000/slack-secret-part" }
    oncall: { type: pagerduty, routingKey: "0123456789abcdef0123456789abcdef" }
    hook: { type: webhook, url: "https://hooks.example.com/a", secret: "hmac-secret-0123456789", headers: { authorization: "Bearer header-secret-value" } }
  rules:
    failed: { type: run_failed }
    rejected: { type: rejected_share, percent: 5, syncs: [contacts], channels: [ops], severity: warning }
    stale: { type: stale, after: 1h30m }
`;

function write(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "syncline-alerts-config-"));
  const file = join(dir, "syncline.yaml");
  writeFileSync(file, text);
  return file;
}

async function problems(text: string): Promise<string> {
  try {
    await loadConfig(write(text), {});
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the config to be refused");
}

describe("alerts config", () => {
  it("resolves channels and rules with defaults, and treats channel credentials as secrets", async () => {
    const config = await loadConfig(write(BASE + ALERTS), {});
    const alerts = config.alerts!;
    expect([...alerts.channels.keys()]).toEqual(["ops", "oncall", "hook"]);
    expect(alerts.channels.get("ops")!.timeoutMs).toBe(10_000);
    expect(alerts.publicUrl).toBe("https://syncline.example.com");
    expect(alerts.evaluateEveryMs).toBe(60_000);
    expect(alerts.rules).toEqual([
      {
        name: "failed",
        type: "run_failed",
        syncs: ["contacts"],
        channels: ["ops", "oncall", "hook"],
        severity: "error",
      },
      {
        name: "rejected",
        type: "rejected_share",
        syncs: ["contacts"],
        channels: ["ops"],
        severity: "warning",
        percent: 5,
      },
      {
        name: "stale",
        type: "stale",
        syncs: ["contacts"],
        channels: ["ops", "oncall", "hook"],
        severity: "error",
        afterMs: 90 * 60_000,
      },
    ]);
    for (const secret of [
      "https://hooks.slack.test/services/T000/B000/slack-secret-part",
      "0123456789abcdef0123456789abcdef",
      "hmac-secret-0123456789",
      "Bearer header-secret-value",
    ]) {
      expect(config.secrets.has(secret)).toBe(true);
    }
  });

  it("refuses unknown keys with a did-you-mean, unknown syncs and channels, and bad values, each with its path", async () => {
    const text = `${BASE}
alerts:
  channels:
    ops: { type: slack, url: "https://hooks.slack.test/x", timeout: 5 }
    pd: { type: pagerduty, routingKey: "too-short" }
  rules:
    stale: { type: stale, aftr: 2h }
`;
    const message = await problems(text);
    expect(message).toContain('alerts.channels.ops.timeout: unknown key — did you mean "timeoutMs"?');
    expect(message).toContain("alerts.channels.pd.routingKey: must be the 32-character integration key");
    expect(message).toContain('alerts.rules.stale.aftr: unknown key — did you mean "after"?');

    const refs = await problems(`${BASE}
alerts:
  channels: { ops: { type: slack, url: "https://hooks.slack.test/x" } }
  rules:
    failed: { type: run_failed, syncs: [contcts], channels: [opps] }
    slow: { type: slow_run, after: soon }
    weird: { type: run_exploded }
`);
    expect(refs).toContain('alerts.rules.slow.after: must be a duration such as "90s", "15m", "2h", "3d" or "1h30m"');
    expect(refs).toContain("alerts.rules.weird.type: must be one of run_failed, run_partial");

    const names = await problems(`${BASE}
alerts:
  channels: { ops: { type: slack, url: "https://hooks.slack.test/x" } }
  rules:
    failed: { type: run_failed, syncs: [contcts], channels: [opps] }
`);
    expect(names).toContain('alerts.rules.failed.syncs.0: unknown sync "contcts" — did you mean "contacts"?');
    expect(names).toContain('alerts.rules.failed.channels.0: unknown channel "opps" — did you mean "ops"?');

    expect(await problems(`${BASE}\nalerts: { channels: {}, rules: {} }\n`)).toContain(
      "alerts.channels: must define at least one channel",
    );
    expect(await problems(`${BASE}\nalerts: { chanels: {}, rules: {} }\n`)).toContain(
      'alerts.chanels: unknown key — did you mean "channels"?',
    );
  });

  it("reads durations", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("3d")).toBe(259_200_000);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("2 h")).toBe(7_200_000);
    expect(parseDuration("2")).toBeUndefined();
    expect(parseDuration("2w")).toBeUndefined();
  });
});
