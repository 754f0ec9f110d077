import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Receiver as ResultsReceiver, ServiceProcess, serviceDir } from "../server/process.ts";
import { runCli } from "../support/cli.ts";
import { OtlpReceiver } from "../support/otlp-receiver.ts";
import { Receiver } from "../support/receiver.ts";

const SECRET = "trace-test-secret-value-42";
const URL_TOKEN = "url-token-value-77";
const dir = mkdtempSync(join(tmpdir(), "syncline-tracing-"));
const config = join(dir, "syncline.yaml");
const receiver = new Receiver();
const otlp = new OtlpReceiver();
const RECORD_IMPORTS = pathToFileURL(join(import.meta.dirname, "..", "support", "record-imports.mjs")).href;

beforeAll(async () => {
  await Promise.all([receiver.start(), otlp.start()]);
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"));
  const connection = await instance.connect();
  await connection.run(
    "CREATE TABLE people AS SELECT i AS id, CASE WHEN i = 3 THEN 'bad' ELSE 'p' || i || '@example.com' END AS email FROM range(1, 21) t(i)",
  );
  connection.closeSync();
  instance.closeSync();
  // The URL carries a credential in its query, as some webhooks take one: no span may show it.
  writeFileSync(
    config,
    `sources:
  wh: { type: duckdb, path: ./wh.duckdb }
destinations:
  hook: { type: webhook, url: "${receiver.url}/in?token=${URL_TOKEN}", secret: "${SECRET}", maxRecords: 5 }
syncs:
  people:
    source: wh
    model: { table: people }
    primaryKey: id
    destination: hook
    object: people
    mapping: { email: email }
`,
  );
});
afterAll(() => Promise.all([receiver.stop(), otlp.stop()]));

/** The CLI with its @opentelemetry imports recorded; returns the result and the modules loaded. */
async function run(env: Record<string, string>, ...args: string[]) {
  const log = join(dir, `imports-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, "");
  const result = await runCli([...args, "--config", config], {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: "",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "",
      NODE_OPTIONS: `--import=${RECORD_IMPORTS}`,
      SYNCLINE_IMPORT_LOG: log,
      ...env,
    },
  });
  const packages = new Set(
    readFileSync(log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((url) => /@opentelemetry\/([^/]+)/.exec(url)![1]),
  );
  return { ...result, packages };
}

describe("traces over OTLP/HTTP", () => {
  it("without OTEL_* variables, no SDK module is loaded and nothing is exported", async () => {
    const result = await run({}, "run", "people", "--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // Only the API may be there, and not for tracing: prom-client requires it (for exemplars).
    // The engine imports its types only, and the SDK is loaded by src/host/tracing.ts when asked.
    expect([...result.packages].filter((name) => name !== "api")).toEqual([]);
    expect(otlp.requests).toHaveLength(0);
  });

  it("OTEL_SDK_DISABLED=true keeps the SDK unloaded even with an endpoint", async () => {
    const result = await run(
      { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_SDK_DISABLED: "true" },
      "run",
      "people",
      "--json",
    );
    expect(result.code).toBe(0);
    expect([...result.packages].filter((name) => name !== "api")).toEqual([]);
    expect(otlp.requests).toHaveLength(0);
  });

  it("exports the span tree of a run: run → read, plan, batches → destination calls; no secret anywhere", async () => {
    // A changed record and the refused one: two batches to send, one with a 422 in it.
    receiver.fail = (batch) => (batch.records.some((r) => r.fields.email === "bad") ? 422 : undefined);
    const result = await run(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_SERVICE_NAME: "syncline-traces-test",
      },
      "run",
      "people",
      "--full-resync",
      "--json",
    );
    expect(result.code).toBe(3);
    expect(result.packages.has("api")).toBe(true);
    expect(result.packages.has("sdk-trace")).toBe(true);
    expect(result.packages.has("exporter-trace-otlp-http")).toBe(true);
    const runView = JSON.parse(result.stdout) as { id: string };

    expect(otlp.requests.length).toBeGreaterThan(0);
    expect(otlp.requests.every((r) => r.path === "/v1/traces")).toBe(true);
    const spans = otlp.spans;
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const [root] = byName("sync.run");
    expect(byName("sync.run")).toHaveLength(1);
    expect(root!.parentSpanId).toBeUndefined();
    expect(spans.every((s) => s.traceId === root!.traceId)).toBe(true);
    expect(root!.resource["service.name"]).toBe("syncline-traces-test");
    expect(root!.attributes).toMatchObject({
      "syncline.sync": "people",
      "syncline.run.id": runView.id,
      "syncline.sync.mode": "upsert",
      "syncline.run.status": "partial",
      "syncline.rows_read": 20,
      "syncline.planned.added": 0,
      "syncline.planned.changed": 20,
      "syncline.succeeded.changed": 19,
      "syncline.failed.changed": 1,
    });

    const [read] = byName("sync.read");
    const [plan] = byName("sync.plan");
    expect(read!.parentSpanId).toBe(root!.spanId);
    expect(read!.attributes).toMatchObject({ "syncline.source": "wh", "syncline.rows_read": 20 });
    expect(plan!.parentSpanId).toBe(root!.spanId);
    expect(plan!.attributes).toMatchObject({ "syncline.diff": "engine", "syncline.planned.changed": 20 });

    const batches = byName("sync.batch");
    expect(batches).toHaveLength(4); // 20 records, 5 per call
    for (const batch of batches) {
      expect(batch.parentSpanId).toBe(root!.spanId);
      expect(batch.attributes).toMatchObject({
        "syncline.operation": "upsert",
        "syncline.records": 5,
        "syncline.object": "people",
        "syncline.destination": "hook",
      });
    }

    const calls = byName("destination.call");
    const batchIds = new Set(batches.map((b) => b.spanId));
    expect(calls.length).toBeGreaterThan(4); // the refused batch is split to isolate record 3
    for (const call of calls) {
      expect(batchIds.has(call.parentSpanId!)).toBe(true);
      expect(call.kind).toBe(3); // CLIENT
      expect(call.attributes["http.request.method"]).toBe("POST");
      expect(call.attributes["url.full"]).toBe(`${receiver.url}/in?token=REDACTED`);
      expect(call.attributes["syncline.duration_ms"]).toBeTypeOf("number");
    }
    const refused = calls.filter((c) => c.attributes["http.response.status_code"] === 422);
    expect(refused.length).toBeGreaterThan(0);
    for (const call of refused) expect(call.status.code).toBe(2); // ERROR
    expect(calls.filter((c) => c.attributes["http.response.status_code"] === 200).length).toBeGreaterThan(0);

    const everything = otlp.requests.map((r) => r.body.toString("utf8")).join("\n");
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(URL_TOKEN);
  });

  it("exports http/protobuf by default, as the OpenTelemetry SDK does", async () => {
    const before = otlp.requests.length;
    receiver.fail = () => undefined;
    const result = await run(
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${otlp.url}/v1/traces` },
      "run",
      "people",
      "--full-resync",
      "--json",
    );
    expect(result.code).toBe(0);
    expect(result.packages.has("exporter-trace-otlp-proto")).toBe(true);
    const sent = otlp.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]!.contentType).toBe("application/x-protobuf");
    expect(sent[0]!.body.includes("sync.run")).toBe(true);
    expect(Buffer.concat(sent.map((r) => r.body)).includes(URL_TOKEN)).toBe(false);
  });

  it("an OTEL_* value Syncline cannot honour is a configuration error (exit 2)", async () => {
    const result = await run(
      { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" },
      "run",
      "people",
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is not supported');
    expect(result.stderr).toContain("http/protobuf or http/json");
  });

  it("serve: the spans of a run triggered over the API are flushed when SIGTERM stops it", async () => {
    const hook = await new ResultsReceiver().start();
    const service = serviceDir({ receiverUrl: hook.url, rows: 30, token: "trace-serve-token-1234567890" });
    const before = otlp.spans.length;
    const saved = { ...process.env };
    // The spans wait in the SDK's batch for a minute after the run: only the shutdown's flush sends them now.
    Object.assign(process.env, {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "60000",
    });
    const serve = new ServiceProcess(service.configPath, "trace-serve-token-1234567890");
    try {
      await serve.start();
      const { id } = await serve.json<{ id: string }>("/v1/syncs/people/runs?wait=true", { method: "POST" });
      expect(otlp.spans.length).toBe(before);
      expect(await serve.stop()).toBe(0);
      const run = otlp.spans.slice(before).find((span) => span.name === "sync.run");
      expect(run?.attributes).toMatchObject({
        "syncline.run.id": id,
        "syncline.run.trigger": "api",
        "syncline.run.status": "succeeded",
      });
      expect(otlp.spans.slice(before).filter((span) => span.name === "destination.call")).toHaveLength(1);
    } finally {
      process.env = saved;
      await serve.stop();
      await hook.close();
      service.remove();
    }
  });
});
