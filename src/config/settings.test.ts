import { describe, expect, it } from "vitest";
import type { RawConfig } from "./schema.ts";
import { configFileOf, resolveSettings } from "./settings.ts";

const DIR = "/etc/syncline";
const IMAGE = { SYNCLINE_DEFAULT_STATE: "/var/lib/syncline/state.db", SYNCLINE_DEFAULT_PORT: "8080" };

function raw(extra: Partial<RawConfig> = {}): RawConfig {
  return { sources: {}, destinations: {}, syncs: {}, ...extra };
}

function resolve(config: RawConfig, env: NodeJS.ProcessEnv, flags: { logLevel?: string } = {}) {
  const problems: string[] = [];
  const settings = resolveSettings(config, DIR, env, flags, problems);
  return { ...settings, problems };
}

describe("resolveSettings", () => {
  it("keeps the mounted config's state and port over the image's defaults", () => {
    const settings = resolve(raw({ state: "./data/state.db", server: { port: 9090 } }), IMAGE);
    expect(settings.statePath).toEqual({ value: "/etc/syncline/data/state.db", from: "config file (state)" });
    expect(settings.port).toEqual({ value: 9090, from: "config file (server.port)" });
  });

  it("applies the image's defaults where the config says nothing", () => {
    const settings = resolve(raw(), IMAGE);
    expect(settings.statePath).toEqual({
      value: "/var/lib/syncline/state.db",
      from: "image default SYNCLINE_DEFAULT_STATE",
    });
    expect(settings.port).toEqual({ value: 8080, from: "image default SYNCLINE_DEFAULT_PORT" });
  });

  it("lets a variable the user sets win over the config", () => {
    const env = { ...IMAGE, PORT: "7000", SYNCLINE_STATE: "/tmp/s.db", SYNCLINE_HOST: "127.0.0.1" };
    const settings = resolve(raw({ state: "./x.db", server: { port: 9090, host: "0.0.0.0" } }), env);
    expect(settings.port).toEqual({ value: 7000, from: "environment PORT" });
    expect(settings.statePath).toEqual({ value: "/tmp/s.db", from: "environment SYNCLINE_STATE" });
    expect(settings.host).toEqual({ value: "127.0.0.1", from: "environment SYNCLINE_HOST" });
  });

  it("falls back to Syncline's defaults, an empty variable counting as unset", () => {
    const settings = resolve(raw(), { PORT: "", SYNCLINE_STATE: "" });
    expect(settings.port).toEqual({ value: 8080, from: "default" });
    expect(settings.host).toEqual({ value: "0.0.0.0", from: "default" });
    expect(settings.statePath).toEqual({ value: "/etc/syncline/.syncline/state.db", from: "default" });
    expect(settings.logLevel).toEqual({ value: "info", from: "default" });
    expect(settings.shutdownGraceMs.from).toBe("default");
    expect(settings.problems).toEqual([]);
  });

  it("ranks the log level: flag, environment, config, image default, default", () => {
    const config = raw({ logLevel: "warn" });
    const env = { SYNCLINE_LOG_LEVEL: "debug", SYNCLINE_DEFAULT_LOG_LEVEL: "error" };
    expect(resolve(config, env, { logLevel: "trace" }).logLevel).toEqual({ value: "trace", from: "flag --log-level" });
    expect(resolve(config, env).logLevel).toEqual({ value: "debug", from: "environment SYNCLINE_LOG_LEVEL" });
    expect(resolve(config, { SYNCLINE_DEFAULT_LOG_LEVEL: "error" }).logLevel.from).toBe("config file (logLevel)");
    expect(resolve(raw(), { SYNCLINE_DEFAULT_LOG_LEVEL: "error" }).logLevel).toEqual({
      value: "error",
      from: "image default SYNCLINE_DEFAULT_LOG_LEVEL",
    });
  });

  it("names a variable whose value is not valid", () => {
    const { problems } = resolve(raw(), { PORT: "80a", SYNCLINE_LOG_LEVEL: "loud", SYNCLINE_DEFAULT_PORT: "70000" });
    expect(problems).toEqual([
      'PORT: "80a" is not a port number (0–65535) — fix or unset it',
      'SYNCLINE_DEFAULT_PORT: "70000" is not a port number (0–65535) — fix or unset it',
      'SYNCLINE_LOG_LEVEL: "loud" is not a log level (trace, debug, info, warn, error, fatal, silent) — fix or unset it',
    ]);
    expect(resolve(raw(), {}, { logLevel: "loud" }).problems[0]).toContain('--log-level: "loud" is not a log level');
  });

  it("counts the tokens by origin, never showing one", () => {
    const tokens = resolve(raw({ server: { tokens: ["a".repeat(16), "b".repeat(16)] } }), {
      SYNCLINE_API_TOKEN: "c".repeat(16),
    }).tokens;
    expect(tokens.value).toHaveLength(3);
    expect(tokens.from).toBe("config file (server.tokens): 2, environment SYNCLINE_API_TOKEN: 1");
    expect(resolve(raw(), {}).tokens).toEqual({ value: [], from: "none configured" });
  });
});

describe("configFileOf", () => {
  it("ranks --config, SYNCLINE_CONFIG, the image's default, ./syncline.yaml", () => {
    const env = { SYNCLINE_CONFIG: "/a.yaml", SYNCLINE_DEFAULT_CONFIG: "/etc/syncline/syncline.yaml" };
    expect(configFileOf("/flag.yaml", env)).toEqual({ value: "/flag.yaml", from: "flag --config" });
    expect(configFileOf(undefined, env)).toEqual({ value: "/a.yaml", from: "environment SYNCLINE_CONFIG" });
    expect(configFileOf(undefined, { SYNCLINE_DEFAULT_CONFIG: "/etc/s.yaml" }).from).toBe(
      "image default SYNCLINE_DEFAULT_CONFIG",
    );
    expect(configFileOf(undefined, {})).toEqual({ value: "syncline.yaml", from: "default" });
  });
});
