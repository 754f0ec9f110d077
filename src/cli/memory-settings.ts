import { deno, denoCommandLine, denoExecve, executable } from "./deno-execve.ts";
import { missingNodeEnv, missingNodeFlags, NODE_ENV, NODE_FLAGS } from "./node-flags.ts";

/** Why `applyMemorySettings` could not restart the process, when it could not. */
let notApplied: string | undefined;

/**
 * Commands that run no sync, which the settings would not change: `health` is the container's
 * probe, run every few seconds, and would otherwise start Node twice each time.
 */
const WITHOUT_SETTINGS: ReadonlySet<string> = new Set(["health"]);

/**
 * Restarts the process in place (same process id) with the V8 flags and environment Syncline
 * is measured with (src/cli/node-flags.ts) when they are missing and the user did not opt out
 * (SYNCLINE_NODE_FLAGS=off). Node: `process.execve`. Deno has no `process.execve` and reads
 * V8 flags only at start (`v8.setFlagsFromString` later changes nothing), so it re-executes
 * its own command line with the flags in DENO_V8_FLAGS. When neither is possible it returns
 * and `memorySettings()` says why. `command`: the command line's first argument.
 */
export function applyMemorySettings(command?: string): void {
  if (process.env.SYNCLINE_NODE_FLAGS === "off" || (command && WITHOUT_SETTINGS.has(command))) return;
  const { flags, env } = missing();
  if (flags.length === 0 && Object.keys(env).length === 0) return;
  if (deno) {
    const v8Flags = [process.env.DENO_V8_FLAGS, ...flags].filter(Boolean).join(",");
    notApplied = denoExecve(deno, { ...stringEnv(), ...env, DENO_V8_FLAGS: v8Flags });
  } else if (!executable(process.execPath)) {
    // Node aborts the process when execve fails (it cannot return to the old program): check first.
    notApplied = `this user cannot execute ${process.execPath} again`;
  } else if (typeof process.execve === "function") {
    const argv = [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)];
    process.execve(process.execPath, argv, { ...process.env, ...env });
  } else {
    notApplied = `this Node.js (${process.version} on ${process.platform}) has no process.execve`;
  }
}

export interface MemorySettings {
  /** `off`: the user chose the runtime's defaults (SYNCLINE_NODE_FLAGS=off). */
  state: "applied" | "off" | "missing";
  /** For people: what is in effect, or what is missing, why, and how to set it. */
  detail: string;
}

/** Whether this process runs with the memory settings, for `syncline check` and the logs. */
export function memorySettings(): MemorySettings {
  if (process.env.SYNCLINE_NODE_FLAGS === "off") return { state: "off", detail: "SYNCLINE_NODE_FLAGS=off" };
  const { flags, env } = missing();
  const absent = assignments(flags, env);
  if (absent.length === 0) return { state: "applied", detail: assignments(NODE_FLAGS, NODE_ENV) };
  const how = deno
    ? `start Deno with ${assignments(flags.length > 0 ? [`DENO_V8_FLAGS=${flags.join(",")}`] : [], env)}, or run it with -A (--allow-all) so Syncline restarts itself with them`
    : `start Node with ${assignments(flags.length > 0 ? [`NODE_OPTIONS="${flags.join(" ")}"`] : [], env)}`;
  const why = notApplied ? ` (${notApplied})` : "";
  return {
    state: "missing",
    detail: `not applied: ${absent}${why} — ${how}; or SYNCLINE_NODE_FLAGS=off to run with the runtime's defaults`,
  };
}

function assignments(flags: readonly string[], env: Readonly<Record<string, string>>): string {
  return [...flags, ...Object.entries(env).map(([name, value]) => `${name}=${value}`)].join(" ");
}

function missing(): { flags: string[]; env: Record<string, string> } {
  const flags = deno ? missingNodeFlags(denoV8Flags()) : missingNodeFlags(process.execArgv, process.env.NODE_OPTIONS);
  return { flags, env: missingNodeEnv(process.env) };
}

/** The V8 flags Deno started with: DENO_V8_FLAGS and `--v8-flags=` among Deno's own options. */
function denoV8Flags(): string[] {
  const line = denoCommandLine() ?? [];
  // Deno's options come before the script; the script's arguments (process.argv) after it.
  const own = line.slice(0, Math.max(0, line.length - (process.argv.length - 1)));
  const given = own.filter((arg) => arg.startsWith("--v8-flags=")).map((arg) => arg.slice("--v8-flags=".length));
  return [process.env.DENO_V8_FLAGS ?? "", ...given].flatMap((list) => list.split(","));
}

function stringEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
