import { ConfigurationError } from "../sdk/errors/configuration-error.ts";

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH/i;

export interface Interpolated {
  value: unknown;
  /** Values that came from environment variables named like secrets; always redacted. */
  secrets: Set<string>;
}

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of the parsed YAML (never in the
 * raw text, so a value cannot inject YAML). A missing variable without default is an error
 * naming the variable and the config path.
 */
export function interpolate(input: unknown, env: NodeJS.ProcessEnv = process.env): Interpolated {
  const secrets = new Set<string>();
  const missing: string[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === "string") {
      return node.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
        const value = env[name] ?? fallback;
        if (value === undefined) {
          missing.push(
            `${path}: environment variable ${name} is not set — export ${name} or write \${${name}:-default}`,
          );
          return "";
        }
        if (SECRET_NAME.test(name) && value.length > 0) secrets.add(value);
        return value;
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}[${i}]`));
    if (node && typeof node === "object") {
      return Object.fromEntries(
        Object.entries(node).map(([key, value]) => [key, walk(value, path ? `${path}.${key}` : key)]),
      );
    }
    return node;
  };
  const value = walk(input, "");
  if (missing.length > 0) {
    throw new ConfigurationError(missing.join("\n"), { code: "config_invalid" });
  }
  return { value, secrets };
}
