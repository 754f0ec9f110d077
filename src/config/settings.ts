import { resolve } from "node:path";
import { DEFAULTS } from "./defaults.ts";
import { logLevels, type RawConfig } from "./schema.ts";

/** A resolved value and where it came from, as `syncline check` prints it. */
export interface Setting<T> {
  value: T;
  from: string;
}

/** The process-wide settings the environment can set, with their provenance. */
export interface Settings {
  statePath: Setting<string>;
  port: Setting<number>;
  host: Setting<string>;
  logLevel: Setting<string>;
  tokens: Setting<string[]>;
  shutdownGraceMs: Setting<number>;
}

/**
 * The variable a user sets to override a setting, and (with the SYNCLINE_DEFAULT_ prefix)
 * the variable a deployment image sets to give it a default.
 */
const VARIABLES = {
  config: ["SYNCLINE_CONFIG", "SYNCLINE_DEFAULT_CONFIG"],
  state: ["SYNCLINE_STATE", "SYNCLINE_DEFAULT_STATE"],
  port: ["PORT", "SYNCLINE_DEFAULT_PORT"],
  host: ["SYNCLINE_HOST", "SYNCLINE_DEFAULT_HOST"],
  logLevel: ["SYNCLINE_LOG_LEVEL", "SYNCLINE_DEFAULT_LOG_LEVEL"],
} as const;

type Candidate<T> = [value: T | undefined, from: string];

/**
 * Every setting is taken from the first of: a command-line flag, an environment variable the
 * user sets, the config file, a default baked into the deployment image (SYNCLINE_DEFAULT_*),
 * Syncline's own default. An image's defaults rank below the config file, so a mounted config
 * is never silently overridden by the image it runs in; an empty variable counts as unset
 * (`docker run -e PORT=`).
 */
function firstOf<T>(candidates: Candidate<T>[], fallback: T): Setting<T> {
  for (const [value, from] of candidates) if (value !== undefined) return { value, from };
  return { value: fallback, from: "default" };
}

/** A variable's value (unset when empty) and its origin; a value `parse` refuses is a problem naming the variable. */
function fromEnv<T = string>(
  env: NodeJS.ProcessEnv,
  name: string,
  check?: { parse: (text: string) => T | undefined; expected: string; problems: string[] },
): Candidate<T> {
  const text = env[name] === "" ? undefined : env[name];
  const from = name.includes("_DEFAULT_") ? `image default ${name}` : `environment ${name}`;
  if (text === undefined || !check) return [text as T | undefined, from];
  const value = check.parse(text);
  if (value === undefined) check.problems.push(`${name}: "${text}" is not ${check.expected} — fix or unset it`);
  return [value, from];
}

const portOf = (text: string) => (/^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : undefined);
const levelOf = (text: string) => ((logLevels as readonly string[]).includes(text) ? text : undefined);

/** The config file: `--config`, then $SYNCLINE_CONFIG, then the image's, then ./syncline.yaml. */
export function configFileOf(flag: string | undefined, env: NodeJS.ProcessEnv): Setting<string> {
  return firstOf(
    [[flag, "flag --config"], fromEnv(env, VARIABLES.config[0]), fromEnv(env, VARIABLES.config[1])],
    DEFAULTS.configFile,
  );
}

/** Resolves the settings above for a config file in `dir`; problems are added to `problems`. */
export function resolveSettings(
  raw: RawConfig,
  dir: string,
  env: NodeJS.ProcessEnv,
  flags: { logLevel?: string | undefined },
  problems: string[],
): Settings {
  const port = { parse: portOf, expected: "a port number (0–65535)", problems };
  const level = { parse: levelOf, expected: `a log level (${logLevels.join(", ")})`, problems };
  if (flags.logLevel !== undefined && levelOf(flags.logLevel) === undefined) {
    problems.push(`--log-level: "${flags.logLevel}" is not ${level.expected}`);
  }
  const state = firstOf(
    [
      fromEnv(env, VARIABLES.state[0]),
      [typeof raw.state === "string" ? raw.state : raw.state?.path, "config file (state)"],
      fromEnv(env, VARIABLES.state[1]),
    ],
    DEFAULTS.statePath,
  );
  const envToken = env.SYNCLINE_API_TOKEN || undefined;
  const configTokens = raw.server?.tokens ?? [];
  return {
    // A relative path is relative to the config file's folder, wherever it came from.
    statePath: { ...state, value: state.value === ":memory:" ? state.value : resolve(dir, state.value) },
    port: firstOf(
      [
        fromEnv(env, VARIABLES.port[0], port),
        [raw.server?.port, "config file (server.port)"],
        fromEnv(env, VARIABLES.port[1], port),
      ],
      DEFAULTS.port,
    ),
    host: firstOf(
      [
        fromEnv(env, VARIABLES.host[0]),
        [raw.server?.host, "config file (server.host)"],
        fromEnv(env, VARIABLES.host[1]),
      ],
      DEFAULTS.host,
    ),
    logLevel: firstOf(
      [
        [flags.logLevel, "flag --log-level"],
        fromEnv(env, VARIABLES.logLevel[0], level),
        [raw.logLevel, "config file (logLevel)"],
        fromEnv(env, VARIABLES.logLevel[1], level),
      ],
      DEFAULTS.logLevel,
    ),
    tokens: {
      value: [...configTokens, ...(envToken ? [envToken] : [])],
      from:
        [
          configTokens.length > 0 ? `config file (server.tokens): ${configTokens.length}` : "",
          envToken ? "environment SYNCLINE_API_TOKEN: 1" : "",
        ]
          .filter(Boolean)
          .join(", ") || "none configured",
    },
    shutdownGraceMs: firstOf(
      [[raw.server?.shutdownGraceMs, "config file (server.shutdownGraceMs)"]],
      DEFAULTS.server.shutdownGraceMs,
    ),
  };
}
