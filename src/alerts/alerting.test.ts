import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AlertReceiver } from "../../test/support/alert-receiver.ts";
import { testAlerting } from "../../test/support/alerting.ts";
import { Harness, people } from "../../test/support/harness.ts";
import { DEFAULTS } from "../config/defaults.ts";
import { Engine } from "../engine/index.ts";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import { silentLogger } from "../sdk/logger.ts";
import { openState } from "../state/database.ts";
import { alertRows, outboxRows, seedAlerts } from "../state/inspect/index.ts";

let h: Harness;
let hook: AlertReceiver;

beforeEach(async () => {
  h = await new Harness().setup();
  await h.sql(people(1, 20));
  hook = await new AlertReceiver().start();
});
afterEach(async () => {
  await h.close();
  await hook.stop();
});

const failCalls = (message = "HTTP 401: the token was revoked") => {
  h.destination.beforeCall = () => {
    throw new ConfigurationError(message, { code: "http_401" });
  };
};
const healCalls = () => {
  h.destination.beforeCall = () => {};
};

describe("alerting on runs", () => {
  it("notifies once when a rule starts firing and once when it resolves, with what happened and a link", async () => {
    const { alerting } = testAlerting({
      raw: { channels: { hook: { type: "webhook", url: hook.url } }, rules: { failed: { type: "run_failed" } } },
      engine: h.engine,
      state: h.state,
      publicUrl: "https://syncline.example.com",
    });
    failCalls();
    const failed = await h.run();
    expect(failed.status).toBe("failed");
    await alerting.flush();
    await h.run(); // fails again: still firing, no second notification
    await alerting.flush();
    expect(hook.requests).toHaveLength(1);
    const firing = hook.requests[0]!.json;
    expect(firing).toMatchObject({
      version: 1,
      kind: "firing",
      dedupKey: "syncline/failed/people",
      rule: { name: "failed", type: "run_failed", severity: "error" },
      sync: "people",
      title: "Run failed — people",
      summary: `Run ${failed.id} of people failed`,
      run: { id: failed.id, status: "failed", trigger: "cli" },
      error: { code: "http_401", message: "HTTP 401: the token was revoked" },
      link: `https://syncline.example.com/v1/runs/${failed.id}`,
      resolvedAt: null,
    });
    expect(firing.facts.map((fact: { label: string }) => fact.label)).toEqual(["Run", "Duration", "Records"]);
    expect(hook.requests[0]!.headers["idempotency-key"]).toBe(firing.id);
    expect(hook.requests[0]!.headers["x-syncline-event"]).toBe("alert.firing");

    healCalls();
    const ok = await h.run();
    await alerting.flush();
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1]!.json).toMatchObject({
      kind: "resolved",
      dedupKey: "syncline/failed/people",
      title: "Resolved: Run failed — people",
      run: { id: ok.id, status: "succeeded" },
      firingSince: firing.firingSince,
    });
    expect(hook.requests[1]!.json.resolvedAt).not.toBeNull();
    await h.run();
    await alerting.close();
    expect(hook.requests).toHaveLength(2);
  });

  it("deduplicates across a restart: a new process over the same state file does not notify again", async () => {
    const raw = { channels: { hook: { type: "webhook", url: hook.url } }, rules: { failed: { type: "run_failed" } } };
    const first = testAlerting({ raw, engine: h.engine, state: h.state });
    failCalls();
    await h.run();
    await first.alerting.close();
    await h.engine.close(1000);
    h.state.close();
    expect(hook.requests).toHaveLength(1);

    // The next process: the state file reopened, a new engine and new alerting.
    h.state = openState(join(h.dir, "state.db"));
    h.engine = new Engine({
      db: h.state.sqlite,
      syncs: new Map([["people", h.sync()]]),
      logger: silentLogger,
      changelogRetentionDays: DEFAULTS.changelog.retentionDays,
    });
    const second = testAlerting({ raw, engine: h.engine, state: h.state });
    await h.run();
    await second.alerting.flush();
    expect(hook.requests).toHaveLength(1);
    healCalls();
    await h.run();
    await second.alerting.close();
    expect(hook.requests.map((request) => request.json.kind)).toEqual(["firing", "resolved"]);
    expect(hook.requests[1]!.json.firingSince).toBe(hook.requests[0]!.json.firingSince);
  });

  it("forgets the alerts of a rule removed from the config, or that no longer watches the sync", async () => {
    const channels = { hook: { type: "webhook", url: hook.url } };
    const first = testAlerting({
      raw: { channels, rules: { failed: { type: "run_failed" }, partial: { type: "run_partial" } } },
      engine: h.engine,
      state: h.state,
    });
    failCalls();
    await h.run();
    await first.alerting.close();
    seedAlerts(h.state.sqlite, [
      {
        rule: "partial",
        sync: "people",
        status: "firing",
        firing_since: 1,
        resolved_at: null,
        run_id: null,
        updated_at: 1,
      },
    ]);
    expect(alertRows(h.state.sqlite).map(({ rule }) => ({ rule }))).toEqual([{ rule: "failed" }, { rule: "partial" }]);
    const second = testAlerting({
      raw: {
        channels,
        rules: { failed: { type: "run_failed", syncs: ["other"] }, stale: { type: "stale", after: "1h" } },
      },
      engine: h.engine,
      state: h.state,
      syncs: ["people", "other"],
    });
    expect(alertRows(h.state.sqlite)).toEqual([]);
    await second.alerting.close();
  });

  it("keeps each (rule, sync) apart, and sends each rule only to its channels", async () => {
    const other = await new AlertReceiver().start();
    const { alerting } = testAlerting({
      raw: {
        channels: { hook: { type: "webhook", url: hook.url }, other: { type: "webhook", url: other.url } },
        rules: {
          partial: { type: "run_partial", channels: ["hook"] },
          share: { type: "rejected_share", percent: 10, channels: ["other"] },
        },
      },
      engine: h.engine,
      state: h.state,
    });
    h.destination.decide = (record) => (Number(record.key) <= 3 ? "reject" : "ok");
    const partial = await h.run();
    expect(partial.status).toBe("partial");
    await alerting.flush();
    expect(hook.requests.map((r) => [r.json.rule.name, r.json.kind])).toEqual([["partial", "firing"]]);
    expect(hook.requests[0]!.json.summary).toBe(
      `3 record(s) of run ${partial.id} of people were refused; they wait in the retry ledger`,
    );
    expect(other.requests.map((r) => [r.json.rule.name, r.json.kind])).toEqual([["share", "firing"]]);
    expect(other.requests[0]!.json.facts).toContainEqual({ label: "Rejected", value: "3 of 20 (15.0%)" });

    // 1 of the 3 still refused: partial stays firing; 1 of 3 retried is 33% — still above 10%.
    h.destination.decide = (record) => (record.key === "1" ? "reject" : "ok");
    await h.run();
    await alerting.flush();
    expect(hook.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(1);

    h.destination.decide = () => "ok";
    await h.run();
    await alerting.close();
    expect(hook.requests.map((r) => r.json.kind)).toEqual(["firing", "resolved"]);
    expect(other.requests.map((r) => r.json.kind)).toEqual(["firing", "resolved"]);
    await other.stop();
  });

  it("fires on an exhausted destination quota (run error code quota_exhausted) and resolves when runs deliver again", async () => {
    const { alerting } = testAlerting({
      raw: { channels: { hook: { type: "webhook", url: hook.url } }, rules: { quota: { type: "quota_exhausted" } } },
      engine: h.engine,
      state: h.state,
    });
    failCalls(); // a failure for another reason is not a quota alert
    await h.run();
    await alerting.flush();
    expect(hook.requests).toHaveLength(0);
    h.destination.beforeCall = () => {
      throw new ConfigurationError("daily API call limit reached", { code: "quota_exhausted" });
    };
    await h.run();
    await alerting.flush();
    expect(hook.requests.map((r) => [r.json.kind, r.json.error?.code])).toEqual([["firing", "quota_exhausted"]]);
    healCalls();
    await h.run();
    await alerting.close();
    expect(hook.requests.map((r) => r.json.kind)).toEqual(["firing", "resolved"]);
  });
});

describe("time-based rules", () => {
  it("stale: fires when no run delivered for longer than the threshold, resolves after a good run", async () => {
    let clock = Date.now();
    const { alerting } = testAlerting({
      raw: { channels: { hook: { type: "webhook", url: hook.url } }, rules: { stale: { type: "stale", after: "2h" } } },
      engine: h.engine,
      state: h.state,
      now: () => clock,
    });
    await h.run();
    alerting.evaluateTimeBased();
    await alerting.flush();
    expect(hook.requests).toHaveLength(0);
    clock += 3 * 3_600_000;
    alerting.evaluateTimeBased();
    alerting.evaluateTimeBased();
    await alerting.flush();
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]!.json.summary).toMatch(/^No successful run of people for 3h/);
    clock = Date.now() + 1000; // a run now: the last success is fresh again
    await h.run();
    await alerting.close();
    expect(hook.requests.map((r) => r.json.kind)).toEqual(["firing", "resolved"]);
  });

  it("ledger_age: fires while a record has been failing for longer than the threshold", async () => {
    let clock = Date.now();
    const { alerting } = testAlerting({
      raw: {
        channels: { hook: { type: "webhook", url: hook.url } },
        rules: { ledger: { type: "ledger_age", after: "1d" } },
      },
      engine: h.engine,
      state: h.state,
      now: () => clock,
    });
    h.destination.decide = (record) => (record.key === "7" ? "reject" : "ok");
    await h.run();
    alerting.evaluateTimeBased();
    await alerting.flush();
    expect(hook.requests).toHaveLength(0);
    clock += 2 * 86_400_000;
    alerting.evaluateTimeBased();
    await alerting.flush();
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]!.json.summary).toBe("1 record(s) of people have been failing for more than 1d");
    expect(hook.requests[0]!.json.facts).toContainEqual({ label: "Oldest failing key", value: "7" });
    expect(hook.requests[0]!.json.facts).toContainEqual({ label: "Reason", value: "INVALID: record 7 is invalid" });
    h.destination.decide = () => "ok";
    await h.run(); // the record is retried and accepted: the ledger is empty
    await alerting.close();
    expect(hook.requests.map((r) => r.json.kind)).toEqual(["firing", "resolved"]);
  });

  it("slow_run: fires for a run still going past the threshold (on the timer) and resolves with a fast run", async () => {
    let clock = Date.now();
    const { alerting } = testAlerting({
      raw: {
        channels: { hook: { type: "webhook", url: hook.url } },
        rules: { slow: { type: "slow_run", after: "10m" } },
      },
      engine: h.engine,
      state: h.state,
      now: () => clock,
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.destination.afterCall = () => held;
    const running = h.run();
    await new Promise((resolve) => setTimeout(resolve, 300));
    clock += 15 * 60_000;
    alerting.evaluateTimeBased();
    await alerting.flush();
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]!.json.summary).toMatch(/has been running for 15m/);
    release();
    h.destination.afterCall = () => {};
    await running;
    await h.sql("UPDATE people SET version = 2 WHERE id = 1");
    await h.run(); // quick: resolves
    await alerting.close();
    expect(hook.requests.map((r) => r.json.kind)).toEqual(["firing", "resolved"]);
  });

  it("start() checks time-based rules on a timer", async () => {
    const { alerting } = testAlerting({
      raw: {
        channels: { hook: { type: "webhook", url: hook.url } },
        rules: { stale: { type: "stale", after: "1s" } },
        evaluateEvery: "1s",
      },
      engine: h.engine,
      state: h.state,
    });
    alerting.start();
    await hook.received(1, 5000); // no run ever: stale once a second has passed since the start
    expect(hook.requests[0]!.json.summary).toMatch(/^No successful run of people for/);
    expect(hook.requests[0]!.json.facts).toContainEqual({ label: "Last successful run", value: "never" });
    await alerting.close();
  });
});

describe("the state file", () => {
  it("holds the alert status and no secret", async () => {
    const secret = "hmac-alert-secret-0123456789";
    const { alerting } = testAlerting({
      raw: {
        channels: { hook: { type: "webhook", url: hook.url, secret } },
        rules: { failed: { type: "run_failed" } },
      },
      engine: h.engine,
      state: h.state,
    });
    failCalls(`HTTP 401: token ${secret} refused`);
    hook.answer = () => ({ status: 503, body: "down" }); // kept in the outbox
    await h.run();
    await alerting.flush(2000);
    const rows = alertRows(h.state.sqlite).map(({ rule, sync, status }) => ({ rule, sync, status }));
    expect(rows).toEqual([{ rule: "failed", sync: "people", status: "firing" }]);
    const outbox = outboxRows(h.state.sqlite);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.payload).toContain("[redacted]");
    await alerting.close(0);
    const stored = JSON.stringify([alertRows(h.state.sqlite), outboxRows(h.state.sqlite)]);
    expect(stored).toContain("token [redacted] refused");
    expect(stored).not.toContain(secret);
  });
});
