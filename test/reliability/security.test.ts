import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/host/load-config.ts";
import { serve } from "../../src/server/serve.ts";
import { ServiceProcess } from "../server/process.ts";
import { AppHarness } from "../server/support.ts";
import { Receiver } from "../support/receiver.ts";

describe("every route, without a token, with a wrong one and with the right one", () => {
  let t: AppHarness;
  afterEach(async () => t?.close());

  it("refuses every /v1 route without valid credentials and serves it with them", async () => {
    t = await new AppHarness().setup();
    const run = await t.h.run();
    const spec = (await (await t.request("/openapi.json", { token: null })).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({
        method: method.toUpperCase(),
        path: path.replace("{sync}", "people").replace("{id}", run.id),
      })),
    );
    expect(routes.length).toBeGreaterThanOrEqual(11);
    let protectedRoutes = 0;
    for (const { method, path } of routes) {
      const init = {
        method,
        headers: { "content-type": "application/json" },
        body: method === "POST" ? "{}" : undefined,
      };
      const none = await t.request(path, { ...init, token: null });
      const wrong = await t.request(path, { ...init, token: "wrong-token-0123456789abcdef" });
      const right = await t.request(path, init);
      if (path.startsWith("/v1/")) {
        protectedRoutes++;
        expect([path, none.status]).toEqual([path, 401]);
        expect([path, wrong.status]).toEqual([path, 401]);
        expect([path, right.status]).not.toEqual([path, 401]);
        expect(right.status).toBeLessThan(500);
      } else {
        expect([path, none.status]).toEqual([path, right.status]);
      }
    }
    expect(protectedRoutes).toBeGreaterThanOrEqual(7);
  });
});

describe("secrets never leave: logs, error bodies, API responses, metrics, state file", () => {
  const receiver = new Receiver();
  const dir = mkdtempSync(join(tmpdir(), "syncline-secrets-"));
  const SECRETS = {
    apiToken: "api-token-SECRET-0123456789",
    hmac: "hmac-SECRET-abcdefghijklmnop",
    webhookSigning: "signing-SECRET-qrstuvwxyz0123",
    destinationAuth: "dest-auth-SECRET-9876543210",
  };
  let service: ServiceProcess;
  const outputs: string[] = [];

  beforeAll(async () => {
    await receiver.start();
    writeFileSync(
      join(dir, "seed.sql"),
      "CREATE TABLE people AS SELECT i AS id, 'p' || i AS email FROM range(1, 51) t(i);",
    );
    writeFileSync(
      join(dir, "syncline.yaml"),
      `state: ./state.db
sources:
  wh: { type: duckdb, path: ./wh.duckdb, seed: ./seed.sql }
destinations:
  hook:
    type: webhook
    url: ${receiver.url}
    secret: "${SECRETS.webhookSigning}"
    headers: { authorization: "Bearer \${DEST_TOKEN}" }
    maxRecords: 10
syncs:
  people:
    source: wh
    model: { table: people }
    primaryKey: id
    destination: hook
    object: people
    mapping: { email: email }
server:
  host: 127.0.0.1
  tokens: ["${SECRETS.apiToken}"]
  hmacSecret: "${SECRETS.hmac}"
`,
    );
    process.env.DEST_TOKEN = SECRETS.destinationAuth;
    service = await new ServiceProcess(join(dir, "syncline.yaml"), SECRETS.apiToken).start();
    delete process.env.DEST_TOKEN;
  });
  afterAll(async () => {
    await service?.stop();
    await receiver.stop();
  });

  it("runs a full scenario and finds no secret in any output", async () => {
    let seenAuth = "";
    receiver.fail = (batch) => (batch.records.some((r) => r.key === "7") ? 422 : undefined);
    const record = async (response: Response) => {
      outputs.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
    };
    await record(await service.fetch("/v1/syncs/people/runs?wait=true", { method: "POST" }));
    await record(await service.fetch("/v1/syncs/people/runs?wait=true&fullResync=true", { method: "POST" }));
    for (const path of [
      "/v1/syncs",
      "/v1/syncs/people",
      "/v1/syncs/people/runs",
      "/v1/syncs/people/failures",
      "/v1/syncs/people/failures?format=csv",
      "/metrics",
      "/openapi.json",
      "/readyz",
      "/healthz",
      "/docs",
    ]) {
      await record(await service.fetch(path));
    }
    await record(await service.fetch("/v1/syncs", { token: "not-the-token-but-long-enough" }));
    await record(
      await service.fetch("/v1/syncs/people/runs", {
        method: "POST",
        body: "{not json",
        headers: { "content-type": "application/json" },
      }),
    );
    await record(await service.fetch("/v1/syncs/nope/runs", { method: "POST" }));
    await service.stop();
    outputs.push(...service.stderr);
    const state = ["state.db", "state.db-wal"]
      .filter((f) => existsSync(join(dir, f)))
      .map((f) => readFileSync(join(dir, f)).toString("latin1"));
    outputs.push(...state);
    seenAuth = String(receiver.lastHeaders.authorization ?? "");

    // The secrets were really used: the destination got its credential, and the run had failures to report.
    expect(seenAuth).toBe(`Bearer ${SECRETS.destinationAuth}`);
    expect(String(receiver.lastHeaders["x-syncline-signature"])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(outputs.join("\n")).toContain("http_422");
    for (const [name, value] of Object.entries(SECRETS)) {
      const found = outputs.filter((text) => text.includes(value)).length;
      expect([name, found]).toEqual([name, 0]);
    }
  }, 60_000);
});

describe("secrets a destination echoes back: kept out of the ledger, run errors, logs and `syncline failures`", () => {
  const BIN = join(import.meta.dirname, "..", "..", "bin", "syncline.js");
  const dir = mkdtempSync(join(tmpdir(), "syncline-echo-"));
  const KEY = "echo-api-key-SECRET-5550123";
  const cli = (...args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args, "--config", join(dir, "syncline.yaml")], {
        env: { ...process.env, ECHO_KEY: KEY, SYNCLINE_LOG_LEVEL: "debug" },
      });
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.on("exit", (code) => resolve({ code, out }));
    });

  beforeAll(() => {
    writeFileSync(
      join(dir, "seed.sql"),
      "CREATE TABLE people AS SELECT i AS id, 'p' || i AS email FROM range(1, 7) t(i);",
    );
    // A destination that echoes its credential in every kind of text it returns: a per-record
    // rejection (code and message), a refused batch (thrown, then split down to the record),
    // and a configuration error that fails the run; `check` fails with it too.
    writeFileSync(
      join(dir, "echo-plugin.js"),
      `import { ConfigurationError, defineDestination, ok, PermanentError, reject, secret } from "syncline/sdk";
import * as v from "valibot";
export default defineDestination({
  name: "echo-crm",
  config: v.object({ apiKey: v.pipe(v.string(), secret()), broken: v.optional(v.boolean(), false) }),
  capabilities: { operations: ["upsert", "delete"], maxRecords: 2, concurrency: 1, timeoutMs: 5000 },
  async check(ctx) {
    throw new ConfigurationError("key " + ctx.config.apiKey + " has no scope crm.write", { fix: "grant it" });
  },
  async write(ctx, batch) {
    const key = ctx.config.apiKey;
    if (ctx.config.broken) throw new ConfigurationError("token " + key + " was revoked", { fix: "replace " + key });
    if (batch.records.some((r) => r.key === "3")) throw new PermanentError("HTTP 400: key " + key + " may not write 3");
    return batch.records.map((r) =>
      r.key === "1" ? reject(r, { code: "DENIED_" + key, message: "token " + key + " refused" }) : ok(r),
    );
  },
});
`,
    );
    writeFileSync(
      join(dir, "syncline.yaml"),
      `state: ./state.db
plugins: [./echo-plugin.js]
sources:
  wh: { type: duckdb, path: ./wh.duckdb, seed: ./seed.sql }
destinations:
  echo: { type: echo-crm, apiKey: "\${ECHO_KEY}" }
  revoked: { type: echo-crm, apiKey: "\${ECHO_KEY}", broken: true }
syncs:
  people:
    source: wh
    model: { table: people }
    primaryKey: id
    destination: echo
    object: people
    mapping: { email: email }
  revoked:
    source: wh
    model: { table: people }
    primaryKey: id
    destination: revoked
    object: people
    mapping: { email: email }
`,
    );
  });

  it("stores and prints [redacted] where the destination put the secret", async () => {
    const outputs: string[] = [];
    const run = await cli("run", "people", "--json");
    outputs.push(run.out);
    expect(run.code).toBe(3);
    const failed = await cli("run", "revoked", "--json");
    outputs.push(failed.out);
    expect(failed.code).toBe(1);
    const table = await cli("failures", "people");
    const csv = await cli("failures", "people", "--csv");
    const json = await cli("failures", "people", "--json");
    const check = await cli("check");
    outputs.push(table.out, csv.out, json.out, check.out);
    for (const file of ["state.db", "state.db-wal"].filter((f) => existsSync(join(dir, f)))) {
      outputs.push(readFileSync(join(dir, file)).toString("latin1"));
    }
    // The texts were there to leak: the ledger has both records, with the destination's words.
    const entries = JSON.parse(json.out) as Array<{ key: string; errorCode: string; reason: string }>;
    expect(entries.map((entry) => entry.key).sort()).toEqual(["1", "3"]);
    expect(entries.find((entry) => entry.key === "1")).toMatchObject({
      errorCode: "DENIED_[redacted]",
      reason: "token [redacted] refused",
    });
    expect(entries.find((entry) => entry.key === "3")?.reason).toContain("key [redacted] may not write 3");
    expect(failed.out).toContain("token [redacted] was revoked");
    expect(check.out).toContain("key [redacted] has no scope");
    const leaks = outputs.filter((text) => text.includes(KEY)).map((text) => text.slice(0, 200));
    expect(leaks).toEqual([]);
  }, 60_000);
});

describe("the service refuses to listen beyond loopback with an example or short token", () => {
  const dir = mkdtempSync(join(tmpdir(), "syncline-exposure-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function configFile(host: string, token: string): string {
    const file = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      JSON.stringify({
        state: "./state.db",
        sources: { wh: { type: "duckdb", path: ":memory:" } },
        destinations: { out: { type: "file", path: "./out" } },
        syncs: {},
        server: { host, tokens: [token] },
      }),
    );
    return file;
  }
  /** serve() in this process, stopped after a moment if it does start. */
  const attempt = (file: string, env: NodeJS.ProcessEnv = {}) =>
    serve({
      config: file,
      env: { PORT: "0", SYNCLINE_LOG_LEVEL: "silent", ...env },
      stop: AbortSignal.timeout(1500),
    }).then(
      () => "served",
      (error: { describe?: () => string; kind?: string }) => `${error.kind}: ${error.describe?.() ?? String(error)}`,
    );

  it.each([
    ["the quick start's example token", "0.0.0.0", "quickstart-token-change-me", "an example"],
    ["a token documented as an example", "::", "my-example-token-0123456789abcdef", "an example"],
    ["a token shorter than the minimum", "0.0.0.0", "0123456789abcdef0123", "shorter than 24 characters"],
  ])("%s", async (_name, host, token, why) => {
    const result = await attempt(configFile(host, token));
    expect(result).toContain(`configuration: refusing to listen on ${host}`);
    expect(result).toContain(why);
    expect(result).toContain("openssl rand -hex 32");
    expect(result).not.toContain(token);
  });

  it("an example token from SYNCLINE_API_TOKEN is refused too; loopback may keep the quick start's", async () => {
    const strong = "a-real-token-9f8e7d6c5b4a39281706f5e4";
    expect(
      await attempt(configFile("0.0.0.0", strong), { SYNCLINE_API_TOKEN: "change-me-change-me-change-me" }),
    ).toMatch(/refusing to listen on 0\.0\.0\.0/);
    expect(await attempt(configFile("0.0.0.0", strong))).toBe("served");
    expect(await attempt(configFile("127.0.0.1", "quickstart-token-change-me"))).toBe("served");
  });

  it("the quick start listens on 127.0.0.1", async () => {
    const quickstart = await loadConfig(
      join(import.meta.dirname, "..", "..", "examples", "quickstart", "syncline.yaml"),
      {},
    );
    expect(quickstart.server.host).toBe("127.0.0.1");
  });
});
