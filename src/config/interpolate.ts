import { ConfigurationError } from "../sdk/errors/configuration-error.ts";

/** `$${` (a literal `${`), `${NAME}` or `${NAME:-default}`, or any other `${` (an error). */
const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{/g;
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH/i;

export interface Interpolated {
  value: unknown;
  /** Values that came from environment variables named like secrets; always redacted. */
  secrets: Set<string>;
}

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of the parsed YAML (never in the
 * raw text, so a value cannot inject YAML); `$${` is a literal `${`. A missing variable without
 * default, and a `${` that is not a complete reference (a typo would otherwise reach a
 * destination as part of a URL or a credential), are errors naming the config path.
 */
export function interpolate(input: unknown, env: NodeJS.ProcessEnv = process.env): Interpolated {
  const secrets = new Set<string>();
  const problems: string[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === "string") {
      return node.replace(PATTERN, (match, name: string | undefined, fallback: string | undefined, at: number) => {
        if (match === "$${") return "${";
        if (name === undefined) {
          problems.push(`${path}: ${malformed(node.slice(at))}`);
          return match;
        }
        const value = env[name] ?? fallback;
        if (value === undefined) {
          problems.push(
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
  if (problems.length > 0) {
    throw new ConfigurationError(problems.join("\n"), { code: "config_invalid" });
  }
  return { value, secrets };
}

/** What is wrong with a `${` that starts `rest`, and how to write it. */
function malformed(rest: string): string {
  const name = /^\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(rest)?.[1];
  if (!rest.includes("}")) {
    return `unterminated \${ — close it with } (\${${name ?? "NAME"}}), or write $\${ for a literal \${`;
  }
  return "a ${ that is not a variable reference — write ${NAME} or ${NAME:-default} (NAME of letters, digits and _), or $${ for a literal ${";
}
