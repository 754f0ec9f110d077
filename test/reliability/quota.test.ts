// Quotas and long waits: a destination's daily quota met mid-run ends the run promptly with a
// word and nothing lost; the wait budget is the run's, not each batch's; every long wait is
// visible with its cause (log, the run's progress in the API and the CLI, metrics).
import { afterEach, describe, expect, it } from "vitest";
import { FAKE_TOKEN } from "../../plugins/hubspot/fake/options.ts";
import { type HubSpotFakeServer, startHubSpotFake } from "../../plugins/hubspot/fake/server.ts";
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET } from "../../plugins/salesforce/fake/options.ts";
import { type SalesforceFakeServer, startSalesforceFake } from "../../plugins/salesforce/fake/server.ts";
import { showProgress } from "../../src/cli/progress.ts";
import { createLogger } from "../../src/host/logger.ts";
import type { Syncline } from "../../src/host/open.ts";
import { QuotaExhaustedError, RateLimitError } from "../../src/sdk/index.ts";
import type { RunRecord } from "../../src/state/run-store.ts";
import { AppHarness } from "../server/support.ts";
import { describeRun, ledgerOf, Workspace } from "../support/connector-e2e.ts";
import { Harness, people } from "../support/harness.ts";

const NONE = { added: 0, changed: 0, removed: 0 };
let ws: Workspace | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await ws?.close();
  ws = undefined;
  for (const close of closers.splice(0)) await close();
});

/** The run, or a failure if it has not ended in `ms` (a run that waits forever fails here). */
async function within(ms: number, run: Promise<RunRecord>): Promise<RunRecord> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the run did not end within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function workspace(rows: number, destination: string, object: string, mapping: Record<string, string>) {
  ws = new Workspace();
  await ws.seed(rows);
  ws.writeConfig({
    destination,
    object,
    syncOptions: object === "Contact" ? "{ externalIdField: External_Id__c }" : undefined,
    mapping,
  });
  return ws;
}

describe("a daily quota met mid-run", () => {
  it("Salesforce: the org's API allocation runs out; the run ends at once as partial, and the next run sends exactly the rest", async () => {
    // Three requests left: one describes Contact (the run's discover), two carry 200 records each.
    const server: SalesforceFakeServer = await startSalesforceFake({ dailyApiRequests: 1_000, apiRequestsUsed: 997 });
    closers.push(server.close);
    await workspace(
      800,
      `type: salesforce\nbaseUrl: ${server.url}\nclientId: ${FAKE_CLIENT_ID}\nclientSecret: \${SF_SECRET}\nbulk: never\nlimitWaitMs: 50`,
      "Contact",
      { External_Id__c: "id", Email: "email", LastName: "last_name" },
    );
    let app: Syncline = await ws!.open({ SF_SECRET: FAKE_CLIENT_SECRET });

    const started = Date.now();
    const run = await within(30_000, app.engine.runNow("people"));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.status, describeRun(run)).toBe("partial");
    expect(run.counts?.succeeded).toEqual({ added: 400, changed: 0, removed: 0 });
    expect(run.counts?.failed).toEqual(NONE);
    expect(run.error?.code).toBe("quota_exhausted");
    expect(run.error?.message).toMatch(
      /^dest: the org's daily API request allocation \(a rolling 24 hours\) used up .*TotalRequests.* — 400 records left for the next run \(nothing lost, no attempt used\)/,
    );
    expect(ledgerOf(app)).toEqual([]);
    expect(server.fake.records("Contact")).toHaveLength(400);

    // The allocation frees up; the next run (a new process, as the next scheduled one) sends the rest once.
    server.fake.resetAllocation();
    app = await ws!.reopen(app, { SF_SECRET: FAKE_CLIENT_SECRET });
    const next = await within(30_000, app.engine.runNow("people"));
    expect(next.status, describeRun(next)).toBe("succeeded");
    expect(next.counts?.planned).toEqual({ added: 400, changed: 0, removed: 0 });
    expect(server.fake.records("Contact")).toHaveLength(800);
    const written = server.fake.writes.map((write) => String(write.values.External_Id__c));
    expect(new Set(written).size).toBe(written.length);
  }, 60_000);

  it("HubSpot: the daily limit runs out; the run ends at once as partial, and the next run sends exactly the rest", async () => {
    // Three calls left: one reads the contact properties (the run's discover), two carry 100 records each.
    const server: HubSpotFakeServer = await startHubSpotFake({ dailyLimit: 1_000, dailyUsed: 997 });
    closers.push(server.close);
    await workspace(
      350,
      `type: hubspot\naccessToken: \${HUBSPOT_TOKEN}\nbaseUrl: ${server.url}\nconcurrency: 1`,
      "contacts",
      { email: "email", lastname: "last_name" },
    );
    let app: Syncline = await ws!.open({ HUBSPOT_TOKEN: FAKE_TOKEN });

    const run = await within(30_000, app.engine.runNow("people"));
    expect(run.status, describeRun(run)).toBe("partial");
    expect(run.counts?.succeeded).toEqual({ added: 200, changed: 0, removed: 0 });
    expect(run.counts?.failed).toEqual(NONE);
    expect(run.error?.message).toMatch(
      /^dest: HubSpot's daily API limit \(it resets at midnight in the account's time zone\) used up .* — 150 records left for the next run/,
    );
    expect(ledgerOf(app)).toEqual([]);

    server.fake.resetDaily();
    app = await ws!.reopen(app, { HUBSPOT_TOKEN: FAKE_TOKEN });
    const next = await within(30_000, app.engine.runNow("people"));
    expect(next.status, describeRun(next)).toBe("succeeded");
    expect(next.counts?.planned).toEqual({ added: 150, changed: 0, removed: 0 });
    expect(server.fake.records("contacts")).toHaveLength(350);
  }, 60_000);

  it("a quota that resets within the run's wait budget is waited out, without using an attempt", async () => {
    const h = await new Harness({ maxRecords: 10, concurrency: 1 }).setup();
    closers.push(() => h.close());
    await h.sql(people(1, 30));
    let refused = 0;
    h.destination.beforeCall = (call) => {
      if (call === 2 && refused++ === 0) {
        throw new QuotaExhaustedError("monthly credits used up", {
          quota: "monthly credits",
          resetsAt: new Date(Date.now() + 1_200),
        });
      }
    };
    const started = Date.now();
    const run = await h.run();
    expect(run.status, describeRun(run)).toBe("succeeded");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_100);
    expect(h.destination.records.size).toBe(30);
  });
});

describe("the wait budget is the run's", () => {
  it("stops the run once its batches together have waited the budget, leaving the rest for the next run", async () => {
    const h = await new Harness({ maxRecords: 10, concurrency: 1, maxWaitMs: 1_000 }).setup();
    closers.push(() => h.close());
    await h.sql(people(1, 50));
    // Each batch's first call meets a 429 asking for 400 ms: within any one batch's budget, not the run's.
    const limited = new Set<string>();
    h.destination.beforeCall = (_call, records) => {
      const first = records[0]!.key;
      if (limited.has(first)) return;
      limited.add(first);
      throw new RateLimitError("HTTP 429: slow down", { retryAfterMs: 400 });
    };
    const run = await within(20_000, h.run());
    expect(run.status, describeRun(run)).toBe("partial");
    expect(run.error?.code).toBe("wait_budget_exhausted");
    expect(run.error?.message).toMatch(/^memory asks to wait 400 ms more .*of its 1 s wait budget — 30 records left/);
    expect(run.counts?.succeeded.added).toBe(20);
    expect(h.ledger()).toEqual([]);

    h.destination.beforeCall = () => {};
    const next = await h.run();
    expect(next.counts?.planned).toEqual({ added: 30, changed: 0, removed: 0 });
    expect(h.destination.records.size).toBe(50);
  });

  it("a stop (SIGTERM, cancel) ends a long wait at once; the records waiting are left for the next run", async () => {
    const h = await new Harness({ maxRecords: 10, concurrency: 1 }).setup();
    await h.sql(people(1, 30));
    h.destination.beforeCall = (call) => {
      if (call === 2) throw new RateLimitError("HTTP 429", { retryAfterMs: 120_000 });
    };
    const running = h.run();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopping = Date.now();
    await h.engine.close(20_000);
    const run = await within(5_000, running);
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(run.status).toBe("interrupted");
    expect(run.counts?.succeeded.added).toBe(10);
    expect(h.ledger()).toEqual([]);
    await h.reconfigure({});
    h.destination.beforeCall = () => {};
    const next = await h.run();
    expect(next.counts?.planned).toEqual({ added: 20, changed: 0, removed: 0 });
    await h.close();
  });
});

describe("a long wait is visible with its cause", () => {
  it("in the log, the API's run record, the CLI progress line and the metrics", async () => {
    const logs: string[] = [];
    const logger = createLogger({ level: "info", secrets: [], write: (line) => logs.push(line) });
    const t = await new AppHarness({ rows: 20, maxRecords: 10, concurrency: 1, logger }).setup();
    closers.push(() => t.close());
    t.h.destination.beforeCall = (call) => {
      if (call === 1) throw new RateLimitError("HTTP 429: ten_secondly_rolling limit reached", { retryAfterMs: 2_500 });
    };
    const lines: string[] = [];
    const stopProgress = showProgress(t.h.engine, {
      isTTY: true,
      write: (text: string) => lines.push(text),
    } as unknown as NodeJS.WriteStream);
    const waits: unknown[] = [];
    t.h.engine.on("wait", (wait) => waits.push(wait));

    const triggered = (await (await t.post("/v1/syncs/people/runs")).json()) as { id: string };
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const during = (await (await t.request(`/v1/runs/${triggered.id}`)).json()) as { status: string; waiting: unknown };
    const metrics = await (await t.request("/metrics", { token: null })).text();
    const finished = await t.h.engine.wait(triggered.id);
    const after = (await (await t.request(`/v1/runs/${triggered.id}`)).json()) as { waiting: unknown };
    stopProgress();

    expect(finished.status).toBe("succeeded");
    expect(during.status).toBe("running");
    expect(during.waiting).toMatchObject({
      cause: "rate_limit",
      destination: "memory",
      message: "HTTP 429: ten_secondly_rolling limit reached",
    });
    expect(Date.parse((during.waiting as { until: string }).until)).toBeGreaterThan(Date.now() - 2_000);
    expect(after.waiting).toBeNull();
    expect(waits).toHaveLength(1);
    expect(lines.join("")).toMatch(
      /waiting 2\.5 s for memory \(rate limit: HTTP 429: ten_secondly_rolling limit reached\)/,
    );
    expect(metrics).toMatch(
      /syncline_destination_wait_seconds_total\{sync="people",destination="memory",cause="rate_limit"\} 2\.5/,
    );
    expect(metrics).toMatch(
      /syncline_destination_waiting_seconds\{sync="people",destination="memory",cause="rate_limit"\} [12]\.\d+/,
    );
    expect(logs.join("")).toMatch(
      /"destination":"memory","cause":"rate_limit","waitMs":2500.*"msg":"waiting for memory \(rate limit\)"/,
    );
  });
});
