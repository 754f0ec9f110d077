import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** `syncline check` shows where each setting came from; `syncline health` finds the port the config gave. */
const BIN = join(import.meta.dirname, "..", "..", "bin", "syncline.js");
const dir = mkdtempSync(join(tmpdir(), "syncline-settings-"));
const TOKEN = "settings-test-token-0123456789";
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function cli(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
}

/** The environment of the container image (Dockerfile): its defaults rank below the mounted config. */
const IMAGE = {
  SYNCLINE_DEFAULT_CONFIG: join(dir, "syncline.yaml"),
  SYNCLINE_DEFAULT_STATE: join(dir, "image-state.db"),
  SYNCLINE_DEFAULT_PORT: "1",
  PORT: "",
  SYNCLINE_STATE: "",
  SYNCLINE_CONFIG: "",
  SYNCLINE_LOG_LEVEL: "",
  SYNCLINE_HOST: "",
};

describe("settings", () => {
  it("check prints each effective setting and where it came from, tokens counted, never shown", async () => {
    const port = await freePort();
    writeFileSync(
      join(dir, "syncline.yaml"),
      `state: ./config-state.db\nsources: {}\ndestinations: {}\nsyncs: {}\nserver:\n  port: ${port}\n  host: 127.0.0.1\n`,
    );
    const { status, stdout } = cli(["check"], { ...IMAGE, SYNCLINE_API_TOKEN: TOKEN, SYNCLINE_LOG_LEVEL: "debug" });
    expect(status).toBe(0);
    const row = (name: string) => stdout.split("\n").find((line) => line.includes(`│ ${name} `)) ?? "";
    expect(row("config file")).toContain("image default SYNCLINE_DEFAULT_CONFIG");
    expect(row("state")).toContain(join(dir, "config-state.db"));
    expect(row("state")).toContain("config file (state)");
    expect(row("port")).toMatch(new RegExp(`│ ${port} .*config file \\(server\\.port\\)`));
    expect(row("host")).toContain("config file (server.host)");
    expect(row("API tokens")).toMatch(/│ 1 .*environment SYNCLINE_API_TOKEN: 1/);
    expect(row("log level (serve)")).toMatch(/debug .*environment SYNCLINE_LOG_LEVEL/);
    expect(row("shutdown grace")).toContain("default");
    expect(row("memory settings")).toMatch(/│ applied /);
    expect(stdout).not.toContain(TOKEN);
  });

  it("health asks the service at the port its config gives, not the image's default", async () => {
    const env = { ...IMAGE, SYNCLINE_API_TOKEN: TOKEN };
    expect(cli(["health"], env).status).toBe(1); // nothing listening yet
    const child = spawn(process.execPath, [BIN, "serve"], { env: { ...process.env, ...env }, stdio: "ignore" });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    let health = cli(["health"], env);
    for (let tries = 0; health.status !== 0 && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      health = cli(["health"], env);
    }
    expect(health.status).toBe(0);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const after = cli(["health"], env);
    expect(after.status).toBe(1);
    expect(after.stderr).toMatch(/syncline health: no answer from http:\/\/127\.0\.0\.1:\d+\/healthz/);
  });
});
