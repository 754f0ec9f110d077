import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as v from "valibot";
import { parseDocument } from "yaml";
import { interpolate } from "../config/interpolate.ts";
import { formatIssues } from "../config/issues.ts";
import { configSchema, type RawConfig } from "../config/schema.ts";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import { unreadableFile } from "./unreadable-file.ts";

export interface RawConfigFile {
  /** The file's absolute path, and its folder (relative paths in the config are relative to it). */
  path: string;
  dir: string;
  /** The config after `${VAR}` interpolation, checked against the schema; plugins not loaded yet. */
  raw: RawConfig;
  /** Values that came from environment variables named like secrets. */
  secrets: Set<string>;
}

/** Reads, parses, interpolates and checks the config file's shape: the part of loading that needs no plugin. */
export function readRawConfig(file: string, env: NodeJS.ProcessEnv): RawConfigFile {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw unreadableFile(path, error as NodeJS.ErrnoException);
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw invalid(document.errors.slice(0, 1).map((error) => `${file}: YAML ${error.message.split("\n")[0]}`));
  }
  let parsedYaml: unknown;
  try {
    parsedYaml = document.toJS();
  } catch (error) {
    // yaml refuses documents whose aliases expand without bound ("billion laughs").
    throw invalid([`${file}: YAML ${(error as Error).message} — write the values out instead of nesting aliases`]);
  }
  const { value, secrets } = interpolate(parsedYaml, env);
  const parsed = v.safeParse(configSchema, value ?? {});
  if (!parsed.success) throw invalid(formatIssues(parsed.issues, configSchema));
  return { path, dir: dirname(path), raw: parsed.output, secrets };
}

export function invalid(lines: string[]): ConfigurationError {
  return new ConfigurationError(`invalid configuration:\n  ${lines.join("\n  ")}`, { code: "config_invalid" });
}
