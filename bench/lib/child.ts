import { spawn } from "node:child_process";
import { missingNodeEnv, NODE_FLAGS } from "../../src/cli/node-flags.ts";

/** How the `syncline` command runs Node (bin/syncline.js): its V8 flags and environment. */
export const CLI_RUNTIME = { nodeFlags: NODE_FLAGS, env: missingNodeEnv(process.env) } as const;

export interface ChildOptions {
  /** Extra node flags (for example --cpu-prof). */
  nodeFlags?: readonly string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Runs a bench worker in its own process (so its peak RSS is its own) and returns the JSON
 * object it printed as its last line of standard output.
 */
export async function runWorker<T>(script: string, args: readonly string[], options: ChildOptions = {}): Promise<T> {
  // The bench runs the sources: syncline/sdk, imported by the plugins, resolves to src/.
  const flags = [...(options.nodeFlags ?? []), "--conditions=syncline-source"];
  const child = spawn(process.execPath, [...flags, script, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (data: string) => {
    stdout += data;
  });
  child.stderr.setEncoding("utf8").on("data", (data: string) => {
    stderr += data;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 10 * 60_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  const last = stdout.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !last.startsWith("{")) {
    throw new Error(`${script} ${args.join(" ")} exited with ${code}\n${stderr.slice(-2000)}${stdout.slice(-1000)}`);
  }
  return JSON.parse(last) as T;
}

/** What a worker prints last: one JSON line. */
export function report(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
