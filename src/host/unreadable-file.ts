import { accessSync, constants, statSync } from "node:fs";
import { dirname, parse } from "node:path";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";

/**
 * The error for a config file that cannot be read, by what the system said: it names the file,
 * who this process runs as, and what to change. A container is where this happens most: the
 * image runs as an unprivileged user, and a bind mount keeps the host file's owner and mode.
 */
export function unreadableFile(file: string, error: NodeJS.ErrnoException): ConfigurationError {
  const options = { code: "config_unreadable", cause: error };
  switch (error.code) {
    case "ENOENT":
      return new ConfigurationError(`${file}: the config file does not exist`, {
        ...options,
        fix: "create it, or pass --config <path> (or set SYNCLINE_CONFIG)",
      });
    case "EISDIR":
      return new ConfigurationError(`${file}: is a folder, not the config file`, {
        ...options,
        fix: "give the YAML file's path (Docker creates a folder when the host file of a -v mount does not exist)",
      });
    case "EACCES":
    case "EPERM": {
      const { why, change } = denied(file);
      return new ConfigurationError(`${file}: permission denied — this process runs as ${who()}, and ${why}`, {
        ...options,
        fix: `${change} (a bind mount keeps the host file's owner and mode); or run Syncline as a user who can read it (\`docker run --user\`, Kubernetes securityContext.runAsUser or fsGroup; a ConfigMap or Secret volume takes defaultMode: 0444)`,
      });
    }
    default:
      return new ConfigurationError(`${file}: cannot read the config file (${error.code ?? error.message})`, {
        ...options,
        fix: "check the path and the file, or pass --config <path>",
      });
  }
}

/** The process's user, as permissions see it. */
function who(): string {
  const uid = process.getuid?.();
  if (uid === undefined) return "the user this process runs as";
  return `uid ${uid} (gid ${process.getgid?.()}${groups()})`;
}

function groups(): string {
  const gid = process.getgid?.();
  const extra = (process.getgroups?.() ?? []).filter((group) => group !== gid);
  return extra.length > 0 ? `, groups ${extra.join(",")}` : "";
}

/** Why access was denied, and the change that fixes it: the file's mode, or a folder on its path this user cannot enter. */
function denied(file: string): { why: string; change: string } {
  try {
    const stats = statSync(file);
    const mode = (stats.mode & 0o777).toString(8).padStart(4, "0");
    return {
      why: `the file is owned by uid ${stats.uid} gid ${stats.gid} with mode ${mode}`,
      change: `make it readable: \`chmod a+r ${file}\` on the host`,
    };
  } catch {
    const folder = closedFolder(file);
    if (!folder) return { why: "the file cannot be read", change: `make it readable: \`chmod a+r ${file}\`` };
    return { why: `it cannot enter the folder ${folder}`, change: `let it in: \`chmod a+x ${folder}\` on the host` };
  }
}

function closedFolder(file: string): string | undefined {
  const folders: string[] = [];
  for (let dir = dirname(file); dir !== parse(dir).root; dir = dirname(dir)) folders.unshift(dir);
  return folders.find((dir) => {
    try {
      accessSync(dir, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}
