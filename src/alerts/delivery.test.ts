import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verify } from "../../plugins/webhook/signature.ts";
import { AlertReceiver, unreachableUrl } from "../../test/support/alert-receiver.ts";
import { testAlerting } from "../../test/support/alerting.ts";
import { Harness, people } from "../../test/support/harness.ts";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import { outboxRows, rowCount } from "../state/inspect/index.ts";

let h: Harness;
let receiver: AlertReceiver;

beforeEach(async () => {
  h = await new Harness().setup();
  await h.sql(people(1, 20));
  receiver = await new AlertReceiver().start();
});
afterEach(async () => {
  await h.close();
  await receiver.stop();
});

const failed = { failed: { type: "run_failed" } };
const failRuns = (message: string) => {
  h.destination.beforeCall = () => {
    throw new ConfigurationError(message, { code: "http_401" });
  };
};

function metric(registry: Registry, name: string): Promise<string> {
  return registry.getSingleMetricAsString(name);
}

describe("delivery", () => {
  it("retries a 500 with growing backoff until the channel accepts, and counts one notification sent", async () => {
    receiver.answer = (_request, index) => (index < 2 ? { status: 500, body: "oops" } : { status: 204 });
    const { alerting } = testAlerting({
      raw: { channels: { hook: { type: "webhook", url: receiver.url } }, rules: failed },
      engine: h.engine,
      state: h.state,
    });
    const registry = new Registry();
    alerting.attachMetrics(registry);
    failRuns("HTTP 401: bad token");
    await h.run();
    await alerting.flush();
    const [first, second, third] = receiver.requests;
    expect(receiver.requests).toHaveLength(3);
    expect(third!.body).toBe(first!.body); // the same notification each time
    expect(third!.at - second!.at).toBeGreaterThan(second!.at - first!.at);
    const sent = await metric(registry, "syncline_alert_notifications_total");
    expect(sent).toContain('syncline_alert_notifications_total{channel="hook",kind="firing",outcome="sent"} 1');
    expect(sent).not.toContain('outcome="failed"');
    expect(await metric(registry, "syncline_alerts_firing")).toContain(
      'syncline_alerts_firing{rule="failed",sync="people"} 1',
    );
    await alerting.close();
  });

  it("an unreachable channel gives a clear warning, keeps the notification, and neither fails nor delays runs", async () => {
    const down = await unreachableUrl();
    const { alerting, logs } = testAlerting({
      raw: {
        channels: { down: { type: "webhook", url: down }, hook: { type: "webhook", url: receiver.url } },
        rules: { partial: { type: "run_partial" } },
      },
      engine: h.engine,
      state: h.state,
    });
    const registry = new Registry();
    alerting.attachMetrics(registry);
    h.destination.decide = (record) => (record.key === "2" ? "reject" : "ok");
    const run = await h.run();
    expect(run.status).toBe("partial");
    await alerting.flush();
    expect(receiver.requests).toHaveLength(1); // the reachable channel is not held up by the other
    const warning = logs().find((line) => line.msg.startsWith("alert channel unreachable"));
    expect(warning).toMatchObject({ level: 40, channel: "down", type: "webhook", rule: "partial", sync: "people" });
    expect(warning!.err).toMatch(/network error \(ECONNREFUSED\)/);
    expect(warning!.msg).toContain("syncs are not affected");
    const outbox = outboxRows(h.state.sqlite).map(({ channel, attempts }) => ({ channel, attempts }));
    expect(outbox).toEqual([{ channel: "down", attempts: 1 }]);
    expect(await metric(registry, "syncline_alert_notifications_total")).toContain(
      'syncline_alert_notifications_total{channel="down",kind="firing",outcome="failed"} 1',
    );
    expect(await metric(registry, "syncline_alert_notifications_pending")).toContain(
      "syncline_alert_notifications_pending 1",
    );
    await alerting.close(0);
  });

  it("a channel that never answers holds up no run", async () => {
    receiver.answer = () => ({ status: 200, delayMs: Number.POSITIVE_INFINITY });
    const { alerting } = testAlerting({
      raw: { channels: { slow: { type: "webhook", url: receiver.url } }, rules: failed },
      engine: h.engine,
      state: h.state,
    });
    failRuns("HTTP 401: bad token");
    const first = await h.run();
    await receiver.received(1);
    // The delivery hangs; more runs start and finish meanwhile.
    const second = await h.run();
    h.destination.beforeCall = () => {};
    const third = await h.run();
    expect([first.status, second.status, third.status]).toEqual(["failed", "failed", "succeeded"]);
    expect(receiver.requests).toHaveLength(1);
    await alerting.close(0); // aborted: both notifications stay in the outbox, in order
    const kinds = outboxRows(h.state.sqlite);
    expect(kinds.map((row) => JSON.parse(row.payload).kind)).toEqual(["firing", "resolved"]);
  });

  it("signs webhook bodies with the channel's secret and sends its headers", async () => {
    const secret = "alert-hmac-secret-0123456789";
    const { alerting } = testAlerting({
      raw: {
        channels: {
          hook: { type: "webhook", url: receiver.url, secret, headers: { authorization: "Bearer hdr-secret-42" } },
        },
        rules: failed,
      },
      engine: h.engine,
      state: h.state,
    });
    failRuns("HTTP 401: bad token");
    await h.run();
    await alerting.close();
    const [request] = receiver.requests;
    expect(verify(secret, request!.body, String(request!.headers["x-syncline-signature"]))).toBe(true);
    expect(request!.headers.authorization).toBe("Bearer hdr-secret-42");
    expect(request!.headers["content-type"]).toBe("application/json");
  });
});

describe("Slack", () => {
  it("sends an incoming-webhook message within Block Kit's limits, redacted, with the huge error cut", async () => {
    const secret = "sk-live-0123456789abcdef";
    const huge = `HTTP 400: token ${secret} refused; ${"x".repeat(100_000)} <b>&`;
    const { alerting } = testAlerting({
      raw: { channels: { slack: { type: "slack", url: receiver.url } }, rules: failed },
      engine: h.engine,
      state: h.state,
      publicUrl: "https://syncline.example.com",
      extraSecrets: [secret],
    });
    failRuns(huge);
    const run = await h.run();
    h.destination.beforeCall = () => {};
    await h.run();
    await alerting.close();
    expect(receiver.requests).toHaveLength(2);
    const [firing, resolved] = receiver.requests.map((request) => request.json);
    for (const message of [firing, resolved]) {
      expect(typeof message.text).toBe("string");
      expect(message.text.length).toBeLessThanOrEqual(3000);
      expect(message.blocks[0].type).toBe("header");
      expect(message.blocks[0].text.type).toBe("plain_text");
      expect(message.blocks[0].text.text.length).toBeLessThanOrEqual(150);
      for (const block of message.blocks) {
        expect(["header", "section", "context"]).toContain(block.type);
        if (block.type === "section" && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
        if (block.fields) {
          expect(block.fields.length).toBeLessThanOrEqual(10);
          for (const field of block.fields) expect(field.text.length).toBeLessThanOrEqual(2000);
        }
      }
    }
    expect(firing.blocks[0].text.text).toBe("🔴 Run failed — people");
    expect(resolved.blocks[0].text.text).toBe("✅ Resolved: Run failed — people");
    const error = firing.blocks.find((block: { text?: { text: string } }) => block.text?.text.startsWith("*Error*"));
    expect(error.text.text).toContain("`http_401`");
    expect(error.text.text).toContain("token [redacted] refused");
    expect(error.text.text).toMatch(/more characters\]/);
    expect(error.text.text).not.toContain("<b>");
    const context = firing.blocks.at(-1);
    expect(context.type).toBe("context");
    expect(context.elements[0].text).toContain(`<https://syncline.example.com/v1/runs/${run.id}|Open the run>`);
    expect(receiver.requests.map((request) => request.body).join("")).not.toContain(secret);
  });

  it("drops a notification Slack refuses for good (404 no_service), with an error naming the channel", async () => {
    receiver.answer = () => ({ status: 404, body: "no_service" });
    const { alerting, logs } = testAlerting({
      raw: { channels: { slack: { type: "slack", url: receiver.url } }, rules: failed },
      engine: h.engine,
      state: h.state,
    });
    failRuns("HTTP 401: bad token");
    await h.run();
    await alerting.close();
    expect(receiver.requests).toHaveLength(1); // a 404 is not retried
    const error = logs().find((line) => line.level === 50);
    expect(error).toMatchObject({ channel: "slack", type: "slack", err: "HTTP 404: no_service" });
    expect(error!.msg).toContain("check the channel's configuration");
    expect(rowCount(h.state.sqlite, "alert_outbox")).toBe(0);
    // The Slack URL is the credential: it appears in no log line.
    expect(
      logs()
        .map((line) => JSON.stringify(line))
        .join(""),
    ).not.toContain(receiver.url);
  });
});

describe("PagerDuty", () => {
  const routingKey = "R0123456789abcdef0123456789abcde";

  it("triggers an incident and resolves it with the same dedup_key (Events API v2)", async () => {
    receiver.answer = (request) => ({
      status: 202,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "success", message: "Event processed", dedup_key: request.json.dedup_key }),
    });
    const { alerting } = testAlerting({
      raw: {
        channels: { pd: { type: "pagerduty", routingKey, url: receiver.url } },
        rules: { failed: { type: "run_failed", severity: "critical" } },
      },
      engine: h.engine,
      state: h.state,
      publicUrl: "https://syncline.example.com",
    });
    failRuns("HTTP 401: bad token");
    const run = await h.run();
    h.destination.beforeCall = () => {};
    await h.run();
    await alerting.close();
    const [trigger, resolve] = receiver.requests.map((request) => request.json);
    expect(trigger).toEqual({
      routing_key: routingKey,
      event_action: "trigger",
      dedup_key: "syncline/failed/people",
      payload: {
        summary: `Run failed — people: Run ${run.id} of people failed`,
        source: "syncline.example.com",
        severity: "critical",
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        component: "people",
        group: "syncline",
        class: "run_failed",
        custom_details: expect.objectContaining({ rule: "failed", error: "http_401: HTTP 401: bad token" }),
      },
      links: [{ href: `https://syncline.example.com/v1/runs/${run.id}`, text: "The run in Syncline" }],
      client: "Syncline",
      client_url: "https://syncline.example.com",
    });
    expect(resolve).toEqual({ routing_key: routingKey, event_action: "resolve", dedup_key: "syncline/failed/people" });
  });

  it("drops an event PagerDuty calls invalid (400) and retries one it rate-limits (429)", async () => {
    receiver.answer = (_request, index) =>
      index === 0
        ? { status: 429, headers: { "content-type": "application/json" }, body: "{}" }
        : {
            status: 400,
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ status: "invalid event", message: "Event object is invalid", errors: ["x"] }),
          };
    const { alerting, logs } = testAlerting({
      raw: { channels: { pd: { type: "pagerduty", routingKey, url: receiver.url } }, rules: failed },
      engine: h.engine,
      state: h.state,
    });
    failRuns("HTTP 401: bad token");
    await h.run();
    await alerting.close();
    expect(receiver.requests).toHaveLength(2);
    const error = logs().find((line) => line.level === 50);
    expect(error!.err).toContain("HTTP 400");
    expect(error!.err).toContain("Event object is invalid");
    expect(
      logs()
        .map((line) => JSON.stringify(line))
        .join(""),
    ).not.toContain(routingKey);
  });
});
