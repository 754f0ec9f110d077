import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serve } from "../../src/server/serve.ts";
import { AlertReceiver, unreachableUrl } from "../support/alert-receiver.ts";
import { runCli } from "../support/cli.ts";
import { Receiver } from "../support/receiver.ts";

const ROUTING_KEY = "E2e0123456789abcdef0123456789abc";
const dir = mkdtempSync(join(tmpdir(), "syncline-alerts-"));
const destination = new Receiver();
const hook = new AlertReceiver();
const slack = new AlertReceiver();
const pagerduty = new AlertReceiver();

function cli(config: string, ...args: string[]) {
  return runCli([...args, "--config", config]);
}

function writeConfig(name: string, channels: string, extra = ""): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `state: ./${name}.db
sources:
  wh: { type: duckdb, path: ./wh.duckdb }
destinations:
  hook: { type: webhook, url: "${destination.url}" }
syncs:
  people:
    source: wh
    model: { table: people }
    primaryKey: id
    destination: hook
    object: people
    mapping: { email: email }
server: { port: 0, tokens: ["e2e-alerts-token-0123456789"], publicUrl: "https://syncline.example.com" }
alerts:
  channels:
${channels}
  rules:
    failed: { type: run_failed }
${extra}`,
  );
  return file;
}

const ALL_CHANNELS = () => `    hook: { type: webhook, url: "${hook.url}", secret: "e2e-alert-hmac-0123456789" }
    slack: { type: slack, url: "${slack.url}" }
    pd: { type: pagerduty, routingKey: "${ROUTING_KEY}", url: "${pagerduty.url}" }`;

beforeAll(async () => {
  await Promise.all([
    destination.start(),
    hook.start(),
    slack.start("/services/T0/B0/e2eslacksecret"),
    pagerduty.start(),
  ]);
  pagerduty.answer = (request) => ({
    status: 202,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ status: "success", message: "Event processed", dedup_key: request.json.dedup_key }),
  });
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"));
  const connection = await instance.connect();
  await connection.run(
    "CREATE TABLE people AS SELECT i AS id, 'p' || i || '@example.com' AS email FROM range(1, 11) t(i)",
  );
  connection.closeSync();
  instance.closeSync();
});
afterAll(async () => {
  await Promise.all([destination.stop(), hook.stop(), slack.stop(), pagerduty.stop()]);
});
beforeEach(() => {
  for (const receiver of [hook, slack, pagerduty]) receiver.requests.length = 0;
  slack.answer = () => ({ status: 200, body: "ok" });
  destination.fail = () => undefined;
});

describe("syncline alerts test", () => {
  it("sends a test to every channel and prints that each accepted it (exit 0)", async () => {
    const result = await cli(writeConfig("test-ok", ALL_CHANNELS()), "alerts", "test");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/hook\s*│\s*webhook\s*│\s*accepted \(1 request\)/);
    expect(result.stdout).toMatch(/slack\s*│\s*slack\s*│\s*accepted \(1 request\)/);
    expect(result.stdout).toMatch(/pd\s*│\s*pagerduty\s*│\s*accepted \(2 requests\)/);
    expect(hook.requests[0]!.json).toMatchObject({
      kind: "test",
      rule: { name: "test" },
      title: "Test notification — hook",
    });
    expect(slack.requests[0]!.json.blocks[0].text.text).toBe("🧪 Test notification — slack");
    expect(pagerduty.requests.map((request) => request.json.event_action)).toEqual(["trigger", "resolve"]);
    expect(pagerduty.requests[0]!.json.payload.severity).toBe("info");
    expect(pagerduty.requests[1]!.json.dedup_key).toBe(pagerduty.requests[0]!.json.dedup_key);
  });

  it("says which channel failed and why (exit 1), without printing its secret URL", async () => {
    slack.answer = () => ({ status: 403, body: "invalid_token" });
    const down = await unreachableUrl();
    const config = writeConfig("test-bad", `${ALL_CHANNELS()}\n    down: { type: webhook, url: "${down}" }`);
    const result = await cli(config, "alerts", "test");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/hook\s*│\s*webhook\s*│\s*accepted/);
    expect(result.stdout).toMatch(/slack\s*│\s*slack\s*│\s*FAILED after 1 request: HTTP 403: invalid_token/);
    expect(result.stdout).toMatch(/down\s*│\s*webhook\s*│\s*FAILED after 3 requests: network error \(ECONNREFUSED\)/);
    expect(result.stdout + result.stderr).not.toContain("e2eslacksecret");

    const one = await cli(config, "alerts", "test", "--channel", "hook");
    expect(one.code).toBe(0);
    expect(one.stdout).not.toContain("slack");
    const unknown = await cli(config, "alerts", "test", "--channel", "nope");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown alert channel "nope"');
  });
});

describe("alerts from runs", () => {
  it("syncline run delivers the run's notifications before it exits; an unreachable channel only warns", async () => {
    const down = await unreachableUrl();
    const config = writeConfig(
      "run",
      `    hook: { type: webhook, url: "${hook.url}" }\n    down: { type: webhook, url: "${down}" }`,
    );
    destination.fail = () => 401;
    const failed = await cli(config, "run", "people", "--json");
    expect(failed.code).toBe(1);
    const run = JSON.parse(failed.stdout);
    expect(hook.requests).toHaveLength(1); // delivered before the process exited
    expect(hook.requests[0]!.json).toMatchObject({
      kind: "firing",
      run: { id: run.id, status: "failed" },
      error: { code: "http_401" },
      link: `https://syncline.example.com/v1/runs/${run.id}`,
    });
    expect(failed.stderr).toContain("alert channel unreachable or failing");

    destination.fail = () => undefined;
    const ok = await cli(config, "run", "people", "--json");
    expect(ok.code).toBe(0);
    expect(hook.requests.map((request) => request.json.kind)).toEqual(["firing", "resolved"]);
  });

  it("syncline serve evaluates rules in-process", async () => {
    const config = writeConfig("serve", `    hook: { type: webhook, url: "${hook.url}" }`);
    destination.fail = () => 401;
    const stop = new AbortController();
    const service = serve({ config, run: "people", stop: stop.signal, logLevel: "silent" });
    const [request] = await hook.received(1);
    expect(request!.json).toMatchObject({ kind: "firing", sync: "people", rule: { name: "failed" } });
    stop.abort();
    expect(await service).toBe(0);
  });
});
