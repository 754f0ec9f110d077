import { afterEach, describe, expect, it } from "vitest";
import { AppHarness, body } from "../../../test/server/support.ts";
import { QuotaExhaustedError } from "../../sdk/errors/quota-exhausted-error.ts";
import { changelogAppender } from "../../state/changelog-store.ts";
import { forgetMigrations } from "../../state/inspect/index.ts";
import { healthSchema } from "../schemas.ts";

let t: AppHarness;
afterEach(async () => t?.close());

function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("health", () => {
  it("answers /healthz and /readyz without a token; readyz turns 503 when draining", async () => {
    t = await new AppHarness().setup();
    expect(await body(await t.request("/healthz", { token: null }), healthSchema)).toEqual({ status: "ok" });
    const ready = await t.request("/readyz", { token: null });
    expect(ready.status).toBe(200);
    expect(await body(ready, healthSchema)).toEqual({
      status: "ready",
      checks: { state: true, migrations: true, accepting: true },
    });
    await t.h.engine.close(100);
    const draining = await t.request("/readyz", { token: null });
    expect(draining.status).toBe(503);
    expect((await draining.json()) as object).toMatchObject({
      checks: { accepting: false },
      error: { code: "not_ready", message: "not ready: accepting" },
    });
    expect((await t.request("/healthz", { token: null })).status).toBe(200);
  });

  it("is not ready when migrations are missing or the state is closed", async () => {
    t = await new AppHarness().setup();
    forgetMigrations(t.h.state.sqlite);
    const unmigrated = await t.request("/readyz", { token: null });
    expect(unmigrated.status).toBe(503);
    expect(((await unmigrated.json()) as { checks: object }).checks).toEqual({
      state: true,
      migrations: false,
      accepting: true,
    });
    await t.h.engine.close(100);
    t.h.engine.close = async () => {};
    t.h.state.close();
    const closed = await t.request("/readyz", { token: null });
    expect(closed.status).toBe(503);
    expect(((await closed.json()) as { checks: object }).checks).toMatchObject({ state: false, migrations: false });
  });
});

describe("/metrics", () => {
  it("counts runs by status, records by outcome, rows read, batches and the ledger", async () => {
    t = await new AppHarness({ maxRecords: 3 }).setup();
    t.h.destination.decide = (record) => (record.key === "2" || record.key === "7" ? "reject" : "ok");
    await t.post("/v1/syncs/people/runs?wait=true");
    const response = await t.request("/metrics", { token: null });
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(metric(text, "syncline_runs_total", { sync: "people", status: "partial" })).toBe(1);
    expect(metric(text, "syncline_runs_total", { sync: "people", status: "succeeded" })).toBe(0);
    expect(metric(text, "syncline_records_total", { change: "added", outcome: "succeeded" })).toBe(8);
    expect(metric(text, "syncline_records_total", { change: "added", outcome: "failed" })).toBe(2);
    expect(metric(text, "syncline_rows_read_total", { sync: "people" })).toBe(10);
    expect(metric(text, "syncline_batch_duration_seconds_count", { sync: "people", destination: "memory" })).toBe(4);
    expect(metric(text, "syncline_ledger_records", { sync: "people" })).toBe(2);
    expect(metric(text, "syncline_runs_active", { sync: "people" })).toBe(0);
    expect(metric(text, "syncline_changelog_rows", {})).toBe(10);
    expect(metric(text, "syncline_changelog_pruned_total", {})).toBe(0);
    expect(metric(text, "syncline_runs_started_total", { sync: "people", trigger: "api" })).toBe(1);
    expect(metric(text, "syncline_rate_limit_waits_total", { destination: "memory" })).toBe(0);
    expect(
      metric(text, "syncline_http_request_duration_seconds_count", { route: "/v1/syncs/:sync/runs", status: "200" }),
    ).toBe(1);

    t.h.destination.decide = () => "ok";
    await t.post("/v1/syncs/people/runs?wait=true");
    const after = await (await t.request("/metrics", { token: null })).text();
    expect(metric(after, "syncline_runs_total", { status: "succeeded" })).toBe(1);
    expect(metric(after, "syncline_records_total", { change: "added", outcome: "succeeded" })).toBe(10);
    expect(metric(after, "syncline_ledger_records", { sync: "people" })).toBe(0);
    expect(metric(after, "syncline_last_success_timestamp_seconds", { sync: "people" })).toBeGreaterThan(1e9);
    expect(metric(after, "syncline_changelog_rows", {})).toBe(12);

    // Rows past the retention (30 days by default) are pruned and counted.
    changelogAppender(t.h.state.sqlite, "people", "run_old")([["1", "add", "ok", null, null, null, 1, null]], 0);
    expect(await t.h.engine.pruner.run()).toBe(1);
    const pruned = await (await t.request("/metrics", { token: null })).text();
    expect(metric(pruned, "syncline_changelog_pruned_total", {})).toBe(1);
    expect(metric(pruned, "syncline_changelog_rows", {})).toBe(12);
  });

  it("reports a used-up quota: the destination's, with its reset, and the run it stopped", async () => {
    t = await new AppHarness({ maxRecords: 3 }).setup();
    const resetsAt = new Date(Date.now() + 3_600_000);
    t.h.destination.beforeCall = (call) => {
      if (call >= 2) throw new QuotaExhaustedError("daily limit reached", { quota: "daily API requests", resetsAt });
    };
    const run = (await (await t.post("/v1/syncs/people/runs?wait=true")).json()) as {
      status: string;
      error: { code: string };
    };
    expect(run).toMatchObject({ status: "partial", error: { code: "quota_exhausted" } });
    const text = await (await t.request("/metrics", { token: null })).text();
    const labels = { destination: "memory", quota: "daily API requests" };
    expect(metric(text, "syncline_destination_quota_exhausted", labels)).toBe(1);
    expect(metric(text, "syncline_destination_quota_reset_timestamp_seconds", labels)).toBe(resetsAt.getTime() / 1000);
    expect(metric(text, "syncline_last_run_quota_exhausted", { sync: "people" })).toBe(1);

    t.h.destination.beforeCall = () => {};
    await t.post("/v1/syncs/people/runs?wait=true");
    const after = await (await t.request("/metrics", { token: null })).text();
    expect(metric(after, "syncline_destination_quota_exhausted", labels)).toBe(0);
    expect(metric(after, "syncline_destination_quota_reset_timestamp_seconds", labels)).toBeUndefined();
    expect(metric(after, "syncline_last_run_quota_exhausted", { sync: "people" })).toBe(0);
  });

  it("reports rate-limit waits from the destination's limiter", async () => {
    t = await new AppHarness().setup();
    t.h.engine.sync("people").destination.limiter.stats.waits = 7;
    const text = await (await t.request("/metrics", { token: null })).text();
    expect(metric(text, "syncline_rate_limit_waits_total", { destination: "memory" })).toBe(7);
  });
});

describe("/openapi.json and /docs", () => {
  it("serves OpenAPI 3.1 generated from the request schemas", async () => {
    t = await new AppHarness().setup();
    const doc = (await (await t.request("/openapi.json", { token: null })).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema: object }> }>>;
      components: { schemas: Record<string, { properties?: Record<string, object> }> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/syncs",
        "/v1/syncs/{sync}",
        "/v1/syncs/{sync}/runs",
        "/v1/syncs/{sync}/failures",
        "/v1/runs/{id}",
        "/v1/runs/{id}/cancel",
        "/v1/syncs/{sync}/records/{key}",
        "/v1/runs/{id}/records",
        "/v1/destinations/{name}/calls",
        "/healthz",
        "/readyz",
        "/metrics",
      ]),
    );
    const trigger = doc.paths["/v1/syncs/{sync}/runs"]!.post!;
    const names = trigger.parameters!.map((p) => `${p.in}:${p.name}`);
    expect(names).toEqual([
      "path:sync",
      "query:fullResync",
      "query:forceDeletes",
      "query:wait",
      "header:Idempotency-Key",
    ]);
    expect(trigger.parameters![0]!.schema).toMatchObject({
      type: "string",
      pattern: "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
    });
    expect(Object.keys(doc.components.schemas.TriggerOptions!.properties!)).toEqual([
      "fullResync",
      "forceDeletes",
      "wait",
    ]);
    expect(doc.components.schemas.Run!.properties!.status).toMatchObject({
      enum: expect.arrayContaining(["interrupted"]),
    });
  });

  it("renders a docs page that loads the document without any CDN", async () => {
    t = await new AppHarness().setup();
    const response = await t.request("/docs", { token: null });
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('fetch("./openapi.json")');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect((await t.request("/", { token: null })).headers.get("location")).toBe("/ui");
  });

  it("renders every operation and schema of the document in its page script", async () => {
    t = await new AppHarness().setup();
    const html = await (await t.request("/docs", { token: null })).text();
    const script = html.split("<script>")[1]!.split("</script>")[0]!;
    const document = await (await t.request("/openapi.json", { token: null })).json();
    const elements = new Map<string, { innerHTML: string; textContent: string }>();
    const fakeDocument = {
      getElementById: (id: string) => {
        if (!elements.has(id)) elements.set(id, { innerHTML: "", textContent: "" });
        return elements.get(id)!;
      },
    };
    const fakeFetch = async () => ({ json: async () => document });
    new Function("document", "fetch", script)(fakeDocument, fakeFetch);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const ops = elements.get("ops")!.innerHTML;
    expect(ops.match(/<details>/g)).toHaveLength(19);
    expect(ops).toContain("/v1/syncs/{sync}/runs");
    expect(ops).toContain("Idempotency-Key");
    expect(ops).toContain("/v1/sequences/{name}/runs");
    expect(elements.get("schemas")!.innerHTML).toContain('id="schema-TriggerOptions"');
    expect(elements.get("title")!.textContent).toBe("Syncline 0.1.0");
  });
});
